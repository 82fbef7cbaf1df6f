namespace Resilience.Testing;

/// <summary>A real nats-server process with JetStream in a temp dir, killed (and its store removed) on dispose.</summary>
public sealed class NatsServer : IDisposable
{
    public const string Binary = "/usr/sbin/nats-server";

    private readonly ServerProcess _process;
    private readonly TempDir _dir;

    private NatsServer(string host, int port, ServerProcess process, TempDir dir)
    {
        Url = $"nats://{host}:{port}";
        _process = process;
        _dir = dir;
    }

    public string Url { get; }

    /// <param name="name">The server's name, also its log's (in the temp dir).</param>
    /// <param name="host">The address it listens on (see <see cref="LoopbackAddresses"/>).</param>
    /// <param name="port">The client port.</param>
    /// <param name="extraConfig">Config lines beside listen and jetstream (leafnodes, authorization).</param>
    /// <param name="domain">The JetStream domain; null for none (a cluster node).</param>
    public static NatsServer Start(string name, string host, int port, string? domain, string extraConfig = "")
    {
        var dir = new TempDir($"resilience-nats-{name}-");
        var process = Servers.NatsFromConfig(dir.Path, name, $$"""
            server_name: {{name}}
            listen: "{{host}}:{{port}}"
            jetstream { store_dir: "{{Path.Combine(dir.Path, "store")}}"{{(domain is null ? "" : $", domain: {domain}")}} }
            {{extraConfig}}
            """, new Uri($"tcp://{host}:{port}"));
        var server = new NatsServer(host, port, process, dir);
        try
        {
            process.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    public void Dispose()
    {
        _process.Dispose();
        _dir.Dispose();
    }
}
