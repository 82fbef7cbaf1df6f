namespace Resilience.Security.Tests.Certificates;

public sealed class RenewalPolicyTests
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LeafSpec Spec = LeafSpec.For("edgehub", CertificateUsage.ServerAndClient, "192.168.1.20", "pc2");
    private readonly RenewalPolicy _policy = new();

    [Fact]
    public void A_year_long_leaf_is_due_once_less_than_a_third_of_its_life_is_left()
    {
        using var ca = CertificateAuthority.Create("pair", Issued);
        using var leaf = ca.Issue(Spec, Issued);
        var lifetime = leaf.NotAfter - leaf.NotBefore;
        var dueAt = Issued - CertificateAuthority.ClockSkew + lifetime * 2 / 3;

        var fresh = _policy.Check(leaf, Spec, ca.Certificate, Issued.AddDays(1));
        Assert.False(fresh.Due, fresh.Reason);
        Assert.Equal(dueAt, fresh.DueAt);
        Assert.False(_policy.Check(leaf, Spec, ca.Certificate, dueAt.AddMinutes(-1)).Due);

        var due = _policy.Check(leaf, Spec, ca.Certificate, dueAt.AddMinutes(1));
        Assert.True(due.Due);
        Assert.Contains("less than 33%", due.Reason, StringComparison.Ordinal);

        var expired = _policy.Check(leaf, Spec, ca.Certificate, Issued.AddDays(400));
        Assert.True(expired.Due);
        Assert.StartsWith("expired", expired.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_moved_machine_a_new_name_a_new_CA_or_another_usage_makes_it_due_at_once()
    {
        using var ca = CertificateAuthority.Create("pair", Issued);
        using var leaf = ca.Issue(Spec, Issued);
        var soon = Issued.AddDays(1);

        var moved = _policy.Check(leaf, Spec with { Addresses = [System.Net.IPAddress.Parse("192.168.1.21")] }, ca.Certificate, soon);
        Assert.True(moved.Due);
        Assert.Contains("192.168.1.21", moved.Reason, StringComparison.Ordinal);

        Assert.True(_policy.Check(leaf, Spec with { DnsNames = ["pc2", "pc2.lan"] }, ca.Certificate, soon).Due);
        Assert.True(_policy.Check(leaf, Spec with { Usage = CertificateUsage.Server }, ca.Certificate, soon).Due);

        using var rotated = CertificateAuthority.Create("pair", Issued);
        var newCa = _policy.Check(leaf, Spec, rotated.Certificate, soon);
        Assert.True(newCa.Due);
        Assert.Contains("not by the current CA", newCa.Reason, StringComparison.Ordinal);

        // Same names in another order and DNS case: nothing to renew.
        var reordered = Spec with { DnsNames = ["PC2"] };
        Assert.False(_policy.Check(leaf, reordered, ca.Certificate, soon).Due);
    }

    [Fact]
    public void The_CA_itself_is_checked_by_age()
    {
        using var ca = CertificateAuthority.Create("pair", Issued, TimeSpan.FromDays(300));
        Assert.False(_policy.Check(ca.Certificate, Issued.AddDays(150)).Due);
        Assert.True(_policy.Check(ca.Certificate, Issued.AddDays(250)).Due);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_fraction_outside_zero_to_one_is_refused(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RenewalPolicy(fraction));
}
