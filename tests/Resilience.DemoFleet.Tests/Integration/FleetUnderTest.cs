using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Resilience.DemoFleet.Contracts;

namespace Resilience.DemoFleet.Tests.Integration;

/// <summary>
/// The real fleet host, in this process, on 127.0.0.1 with free ports, its config written and read back through the
/// contract as the stacks and the binary do. Every agent gets an agent file path (agents/NAME.yaml); only those named
/// in <c>withFiles</c> get a file there, the others are Phase-1 agents until a file appears.
/// </summary>
public sealed class FleetUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _ports;

    private FleetUnderTest(WebApplication app, Uri control, Dictionary<string, int> ports, TempDir dir, ConcurrentQueue<string> log)
    {
        _app = app;
        Control = control;
        _ports = ports;
        Dir = dir;
        Log = log;
    }

    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(300);

    public Uri Control { get; }

    public TempDir Dir { get; }

    public ConcurrentQueue<string> Log { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<FleetUnderTest> StartAsync(Pushgateway pushgateway, string[] agents, string[] withFiles)
    {
        var dir = new TempDir();
        var ports = FreePorts.Take(agents.Length + 1);
        var config = new FleetConfig("127.0.0.1", ports[0], Period,
            agents.Select((name, i) => new FleetAgent(name, ports[i + 1], $"agents/{name}.yaml")).ToList());
        foreach (var name in withFiles)
        {
            WriteAgentFile(dir, name, pushgateway.PushTarget(name), "week 1");
        }
        var path = dir.Write("fleet.yaml", FleetConfigYaml.Write(config));
        var log = new ConcurrentQueue<string>();
        var app = FleetHost.Build(FleetConfigYaml.Load(path), dir.Path, logging => logging.AddProvider(new QueueLogger(log)));
        await app.StartAsync();
        return new FleetUnderTest(app, new Uri($"http://127.0.0.1:{ports[0]}"), agents.Select((n, i) => (n, ports[i + 1])).ToDictionary(), dir, log);
    }

    /// <summary>An agent file as templates/agent.yaml.sbn renders it (the keys the fleet reads, and some it does not).</summary>
    public static string WriteAgentFile(TempDir dir, string agent, Uri pushTarget, string week) =>
        dir.Write($"agents/{agent}.yaml",
            $"# {agent} on pc2: managed by resilience (stack pc2, {week}).\nagent: {agent}\nmachine: pc2\npush_target: \"{pushTarget}\"\nhub_endpoints:\n  primary: \"http://127.0.0.3:9100\"\n");

    public Uri Agent(string name, string path = "/health") => new($"http://127.0.0.1:{_ports[name]}{path}");

    public Task<HttpResponseMessage> PostAsync(string path) => Http.PostAsync(new Uri(Control, path), null);

    public async Task<JsonElement> StateAsync(string name)
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Control, "/agents")));
        return doc.RootElement.EnumerateArray().Single(a => a.GetProperty("name").GetString() == name).Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
        Dir.Dispose();
    }

    private sealed class QueueLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
