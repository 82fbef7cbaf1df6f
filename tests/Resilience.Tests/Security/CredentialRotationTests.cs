using Resilience.Operations.Security;
using Resilience.Secrets;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Tests.Security;

/// <summary>The credential rotation's three rounds as the stack files hold them: listeners accept the next generation
/// first, then clients present it while listeners still accept the old, then the old is gone.</summary>
public sealed class CredentialRotationTests : IDisposable
{
    private const string Passphrase = "rotation-test-passphrase";
    private static readonly Func<string, string?> Env = name => name == PassphraseEnvironment.Variable ? Passphrase : null;
    private static readonly BcryptHasher Fast = new(4);
    private readonly TempProject _project = new();

    private SecuritySettings Read(string stack)
    {
        var config = StackConfig.Load(_project.Dir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, Env))).Security!;
    }

    [Fact]
    public void Three_rounds_take_every_role_from_generation_1_to_2_without_a_client_presenting_what_a_listener_refuses()
    {
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow, MaterialOptions.Default with { GetVariable = Env });
        var g1 = Read("pc2");
        Assert.Equal(RotationPhase.Idle, CredentialRotation.Phase(_project.Dir, Env));
        var roles = g1.Users.Keys.ToList();

        var round1 = CredentialRotation.Advance(_project.Dir, Env, Fast);
        Assert.Equal((RotationPhase.Idle, RotationPhase.Accepting, 2), (round1.From, round1.To, round1.Generation));
        Assert.All(round1.Stacks, s => Assert.Equal([SecurityKeys.Credentials], s.Written));
        foreach (var stack in new[] { "mainpc", "pc2" })
        {
            var s = Read(stack);
            Assert.Equal(g1.Users, s.Users); // clients present generation 1
            Assert.All(roles, r => Assert.Equal([g1.User(r), s.NextUsers[r]], s.Accepted(r)));
            Assert.All(roles, r => Assert.Equal($"{r}-g2", s.NextUsers[r].User));
            Assert.All(roles, r => Assert.True(BcryptHasher.Verify(s.NextUsers[r].Password, s.NextUsers[r].PasswordHash)));
        }
        var g2 = Read("mainpc").NextUsers;

        var round2 = CredentialRotation.Advance(_project.Dir, Env, Fast);
        Assert.Equal((RotationPhase.Accepting, RotationPhase.Switched), (round2.From, round2.To));
        var switched = Read("pc2");
        Assert.Equal(g2, switched.Users); // clients present generation 2
        Assert.Equal(g1.Users, switched.RetiringUsers);
        Assert.Empty(switched.NextUsers);
        Assert.All(roles, r => Assert.Equal([g2[r], g1.User(r)], switched.Accepted(r)));

        var round3 = CredentialRotation.Advance(_project.Dir, Env, Fast);
        Assert.Equal((RotationPhase.Switched, RotationPhase.Idle), (round3.From, round3.To));
        var done = Read("mainpc");
        Assert.Equal(g2, done.Users);
        Assert.Empty(done.RetiringUsers);
        Assert.All(roles, r => Assert.Equal([g2[r]], done.Accepted(r)));
        Assert.All(roles, r => Assert.DoesNotContain(done.Accepted(r), u => u.Password == g1.User(r).Password));
        Assert.Equal(RotationPhase.Idle, CredentialRotation.Phase(_project.Dir, Env));
    }

    [Fact]
    public void A_rotation_needs_the_material_first()
    {
        var e = Assert.Throws<ConfigException>(() => CredentialRotation.Advance(_project.Dir, Env, Fast));

        Assert.EndsWith("resilience:securityCredentials", e.Where);
        Assert.Contains("security init", e.Problem);
    }

    [Fact]
    public void Stack_files_in_different_rounds_are_refused_naming_the_file()
    {
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow, MaterialOptions.Default with { GetVariable = Env });
        var mainpc = File.ReadAllText(_project.PathOf("Pulumi.mainpc.yaml"));
        CredentialRotation.Advance(_project.Dir, Env, Fast);
        File.WriteAllText(_project.PathOf("Pulumi.mainpc.yaml"), mainpc); // e.g. a stack file not pulled on one machine

        var e = Assert.Throws<ConfigException>(() => CredentialRotation.Advance(_project.Dir, Env, Fast));

        Assert.Contains("differs from", e.Problem);
    }

    [Fact]
    public void Reissuing_the_certificates_gives_every_stack_a_new_key_from_the_same_CA()
    {
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow, MaterialOptions.Default with { GetVariable = Env });
        var before = (Main: Read("mainpc"), Pc2: Read("pc2"));

        var changes = CertificateRenewal.ReissueAll(_project.Dir, DateTimeOffset.UtcNow, MaterialOptions.Default with { GetVariable = Env });

        Assert.Equal(["mainpc", "pc2", "witness"], changes.Select(c => c.Machine));
        var after = (Main: Read("mainpc"), Pc2: Read("pc2"));
        Assert.Equal(before.Main.CaCertificatesPem, after.Pc2.CaCertificatesPem);
        Assert.NotEqual(before.Main.Certificates["mainpc"].KeyPem, after.Main.Certificates["mainpc"].KeyPem);
        Assert.NotEqual(before.Pc2.Certificates["pc2"].CertificatePem, after.Pc2.Certificates["pc2"].CertificatePem);
        Assert.Equal(before.Main.Users, after.Main.Users);
    }

    [Theory]
    [InlineData("operator-g1", 1)]
    [InlineData("nats-agent-pc2-g12", 12)]
    [InlineData("nats-agent-pc2", 0)]
    public void The_generation_is_read_from_the_user_name(string user, int generation) =>
        Assert.Equal(generation, CredentialRotation.Generation(user));

    public void Dispose() => _project.Dispose();
}
