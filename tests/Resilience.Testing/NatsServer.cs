using System.Diagnostics;
using System.Net.Sockets;

namespace Resilience.IntegrationTests.JetStream;

/// <summary>A real nats-server process with JetStream in a temp dir, killed (and its store removed) on dispose.</summary>
public sealed class NatsServer : IDisposable
{
    public const string Binary = "/usr/sbin/nats-server";

    private readonly Process _process;
    private readonly DirectoryInfo _dir;

    private NatsServer(string host, int port, Process process, DirectoryInfo dir)
    {
        Url = $"nats://{host}:{port}";
        _process = process;
        _dir = dir;
    }

    public string Url { get; }

    /// <param name="extraConfig">Config lines beside listen and jetstream (leafnodes, authorization).</param>
    /// <param name="domain">The JetStream domain; null for none (a cluster node).</param>
    public static NatsServer Start(string name, string host, int port, string? domain, string extraConfig = "")
    {
        var dir = Directory.CreateTempSubdirectory($"resilience-nats-{name}-");
        var config = Path.Combine(dir.FullName, "nats.conf");
        File.WriteAllText(config, $$"""
            server_name: {{name}}
            listen: "{{host}}:{{port}}"
            jetstream { store_dir: "{{Path.Combine(dir.FullName, "store")}}"{{(domain is null ? "" : $", domain: {domain}")}} }
            {{extraConfig}}
            """);
        var process = Process.Start(new ProcessStartInfo(Binary, ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new NatsServer(host, port, process, dir);
        server.WaitUntilListening(host, port);
        return server;
    }

    private void WaitUntilListening(string host, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited) break;
            try
            {
                using var client = new TcpClient();
                client.Connect(host, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        Dispose();
        throw new InvalidOperationException($"nats-server did not listen on {host}:{port} (is the port taken?)");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _dir.Delete(recursive: true);
    }
}

/// <summary>The servers use fixed addresses and ports: the tests that start them must not run at the same time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NatsServerCollection
{
    public const string Name = "nats-server processes";
}
