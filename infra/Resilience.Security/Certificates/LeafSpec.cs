using System.Net;

namespace Resilience.Security.Certificates;

/// <summary>What a service's certificate must say: its name, every address and DNS name a peer dials it by
/// (each one a subject alternative name: clients match the name they dialled against these, never the CN), and its
/// usages. Addresses and names are compared as sets, so their order never makes a certificate "changed".</summary>
public sealed record LeafSpec(string CommonName, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<string> DnsNames, CertificateUsage Usage)
{
    /// <summary>A year: renewed by an ordinary <c>up</c> once less than a third remains (see <see cref="RenewalPolicy"/>).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    public TimeSpan Validity { get; init; } = DefaultValidity;

    public static LeafSpec For(string commonName, CertificateUsage usage, params string[] addressesOrNames)
    {
        var addresses = new List<IPAddress>();
        var names = new List<string>();
        foreach (var item in addressesOrNames)
        {
            if (IPAddress.TryParse(item, out var address)) addresses.Add(address);
            else names.Add(item);
        }
        return new LeafSpec(commonName, addresses, names, usage);
    }
}
