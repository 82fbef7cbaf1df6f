namespace Resilience.Security.Certificates;

/// <summary>What a leaf certificate may prove, as extended key usages.</summary>
[Flags]
public enum CertificateUsage
{
    /// <summary>serverAuth (1.3.6.1.5.5.7.3.1): a listener (Prometheus, Pushgateway, Alertmanager, nats-server, the runtime).</summary>
    Server = 1,

    /// <summary>clientAuth (1.3.6.1.5.5.7.3.2): a caller (remote write, scrapes, the leaf link, cluster routes).</summary>
    Client = 2,

    ServerAndClient = Server | Client,
}
