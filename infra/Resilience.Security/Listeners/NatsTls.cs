using System.Globalization;

namespace Resilience.Security.Listeners;

/// <summary>
/// A nats-server <c>tls { }</c> block, for the client port, the leafnode listener or remote, and cluster routes.
/// <see cref="VerifyClients"/> asks every peer for a certificate signed by <see cref="CaFile"/> (mutual TLS): right for
/// the leaf link and routes, where both ends are our servers; the client port identifies callers by user and password.
/// </summary>
public sealed record NatsTls(string CertFile, string KeyFile, string CaFile, bool VerifyClients)
{
    /// <summary>Seconds a TLS handshake may take; 2.9's default of 0.5 s is tight for a leaf link across a busy LAN.</summary>
    public double TimeoutSeconds { get; init; } = 2;

    public string Render() =>
        $$"""
        tls {
          cert_file: {{NatsConf.Quote(CertFile)}}
          key_file: {{NatsConf.Quote(KeyFile)}}
          ca_file: {{NatsConf.Quote(CaFile)}}
          verify: {{(VerifyClients ? "true" : "false")}}
          timeout: {{TimeoutSeconds.ToString(CultureInfo.InvariantCulture)}}
        }

        """;
}
