using System.Text.Json;

namespace Resilience.Testing;

/// <summary>Factories for the real servers on this machine, each on its own address and port in a temp dir.</summary>
public static class Servers
{
    /// <param name="yaml">The prometheus.yml; default: no scrape jobs, nothing forwarded.</param>
    public static ServerProcess Prometheus(string dir, string name, string address, int port, string? yaml = null)
    {
        var data = Path.Combine(dir, name);
        Directory.CreateDirectory(data);
        var config = Path.Combine(dir, name + ".yml");
        File.WriteAllText(config, yaml ?? "global:\n  scrape_interval: 15s\n");
        return new ServerProcess(name, "/usr/bin/prometheus",
        [
            $"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address={address}:{port}",
            "--web.enable-remote-write-receiver",
        ], new Uri($"http://{address}:{port}/-/ready"), dir);
    }

    /// <summary>A Pushgateway that keeps its groups in memory only: Debian's build defaults to persisting them in
    /// /var/lib/prometheus/pushgateway.data, shared with every other Pushgateway on the machine.</summary>
    public static ServerProcess Pushgateway(string dir, string address, int port) =>
        new("pushgateway", "/usr/bin/prometheus-pushgateway", [$"--web.listen-address={address}:{port}", "--persistence.file="],
            new Uri($"http://{address}:{port}/-/ready"), dir);

    public static ServerProcess Nats(string dir, string address, int port) =>
        new("nats", NatsServer.Binary,
            ["-js", "-a", address, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", Path.Combine(dir, "js"), "-m", "0"],
            new Uri($"tcp://{address}:{port}"), dir);

    /// <summary>nats-server from a config file (credentials stay out of the process arguments), ready when its monitor's /healthz answers.</summary>
    public static ServerProcess NatsFromConfig(string dir, string name, string config, string monitorAddress, int monitorPort) =>
        NatsFromConfig(dir, name, config, new Uri($"http://{monitorAddress}:{monitorPort}/healthz"));

    /// <summary>nats-server from a config file, ready when <paramref name="readyUrl"/> answers (tcp://host:port for a server without a monitor).</summary>
    public static ServerProcess NatsFromConfig(string dir, string name, string config, Uri readyUrl)
    {
        var path = Path.Combine(dir, name + ".conf");
        File.WriteAllText(path, config);
        return new ServerProcess(name, NatsServer.Binary, ["-c", path], readyUrl, dir);
    }

    /// <summary>Every value of every series matching <paramref name="selector"/> in the last hour, ordered by time.</summary>
    public static async Task<List<double>> QueryValuesAsync(HttpClient http, Uri hub, string selector)
    {
        var url = new Uri(hub, "/api/v1/query?query=" + Uri.EscapeDataString(selector + "[1h]"));
        using var doc = JsonDocument.Parse(await http.GetStringAsync(url));
        var values = new List<(double Time, double Value)>();
        foreach (var series in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            foreach (var point in series.GetProperty("values").EnumerateArray())
            {
                values.Add((point[0].GetDouble(), double.Parse(point[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return values.OrderBy(v => v.Time).Select(v => v.Value).ToList();
    }
}
