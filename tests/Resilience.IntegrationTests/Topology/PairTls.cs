using Resilience.Security.Certificates;

namespace Resilience.IntegrationTests.Topology;

/// <summary>A NATS client's TLS that trusts exactly the given CA certificates (PEM); NATS.Net 3.3.2 takes CaFile only as a path.</summary>
public static class PairTls
{
    public static NatsTlsOpts Trusting(string caPem) => new()
    {
        Mode = TlsMode.Require,
        ConfigureClientAuthentication = tls =>
        {
            tls.RemoteCertificateValidationCallback = CaTrust.FromPem(caPem).Callback;
            return ValueTask.CompletedTask;
        },
    };
}
