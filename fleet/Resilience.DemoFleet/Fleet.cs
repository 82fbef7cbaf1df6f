using Resilience.DemoFleet.Agents;
using Resilience.DemoFleet.Contracts;

namespace Resilience.DemoFleet;

/// <summary>The agents of one machine, by name and by port; started and stopped with the host.</summary>
public sealed class Fleet : IHostedService
{
    private readonly Dictionary<string, DemoAgent> _byName;
    private readonly Dictionary<int, DemoAgent> _byPort;
    private readonly TimeSpan _period;

    /// <param name="configDirectory">Relative agent file paths are relative to the fleet config's folder.</param>
    public Fleet(FleetConfig config, string configDirectory, HttpClient http, ILoggerFactory logs)
    {
        var log = logs.CreateLogger("fleet");
        _period = config.PushPeriod;
        Agents = config.Agents
            .Select(a => new DemoAgent(a, a.AgentFile is null ? null : Path.GetFullPath(a.AgentFile, configDirectory), config.PushPeriod, http, log))
            .ToList();
        _byName = Agents.ToDictionary(a => a.Name, StringComparer.Ordinal);
        _byPort = Agents.ToDictionary(a => a.Port);
    }

    public IReadOnlyList<DemoAgent> Agents { get; }

    public DemoAgent? Named(string name) => _byName.GetValueOrDefault(name);

    public DemoAgent? OnPort(int port) => _byPort.GetValueOrDefault(port);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Spread over one period, so a machine's agents do not all push at the same instant.
        await Task.WhenAll(Agents.Select((a, i) => a.StartAsync(_period * i / Agents.Count)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(Agents.Select(a => a.StopAsync()));
}
