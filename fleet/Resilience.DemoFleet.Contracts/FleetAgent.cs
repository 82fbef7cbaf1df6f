namespace Resilience.DemoFleet.Contracts;

/// <summary>
/// One agent of the fleet: its health and metrics endpoints on <paramref name="Port"/> at the machine's address, and
/// the path of its rendered agent file (templates/agent.yaml.sbn). No path, or no file at that path, is a Phase-1
/// agent: scraped only, no pushes. A file appearing there is picked up when the agent is restarted.
/// </summary>
public sealed record FleetAgent(
    string Name,
    int Port,
    string? AgentFile = null,
    string HealthPath = FleetAgent.DefaultHealthPath,
    string MetricsPath = FleetAgent.DefaultMetricsPath)
{
    public const string DefaultHealthPath = "/health";
    public const string DefaultMetricsPath = "/metrics";
}
