namespace Resilience.Security.Tests.Integration;

/// <summary>Prometheus 2.42, the Pushgateway 1.5 and Alertmanager 0.25 as real processes, with or without a
/// <c>--web.config.file</c>. Ready when the port accepts a connection: with TLS and credentials no anonymous HTTP
/// probe answers 2xx.</summary>
public static class PrometheusFamily
{
    public enum Kind { Prometheus, Pushgateway, Alertmanager }

    public static int PortOf(Kind kind) => kind switch
    {
        Kind.Prometheus => 9090,
        Kind.Pushgateway => 9091,
        _ => 9093,
    };

    public static ServerProcess Start(Kind kind, string dir, string address, string? webConfigFile, bool lifecycle = true)
    {
        var listen = $"--web.listen-address={address}:{PortOf(kind)}";
        var data = Directory.CreateDirectory(Path.Combine(dir, kind + "-data")).FullName;
        List<string> arguments = kind switch
        {
            Kind.Prometheus =>
            [
                $"--config.file={Write(dir, "prometheus.yml", "global:\n  scrape_interval: 15s\n")}", $"--storage.tsdb.path={data}", listen,
                "--web.enable-remote-write-receiver",
            ],
            // In memory only: Debian's build persists groups in a file shared by every Pushgateway on the machine.
            Kind.Pushgateway => [listen, "--persistence.file="],
            _ =>
            [
                $"--config.file={Write(dir, "alertmanager.yml", "route:\n  receiver: none\nreceivers:\n  - name: none\n")}",
                $"--storage.path={data}", listen, "--cluster.listen-address=",
            ],
        };
        if (lifecycle && kind != Kind.Alertmanager) arguments.Add("--web.enable-lifecycle");
        if (webConfigFile is not null) arguments.Add($"--web.config.file={webConfigFile}");
        var binary = kind switch
        {
            Kind.Prometheus => "/usr/bin/prometheus",
            Kind.Pushgateway => "/usr/bin/prometheus-pushgateway",
            _ => "/usr/bin/prometheus-alertmanager",
        };
        var server = new ServerProcess(kind.ToString().ToLowerInvariant(), binary, arguments, new Uri($"tcp://{address}:{PortOf(kind)}"), dir);
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private static string Write(string dir, string name, string content)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
