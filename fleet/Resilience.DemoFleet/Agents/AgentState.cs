namespace Resilience.DemoFleet.Agents;

/// <summary>One agent as <c>GET /agents</c> shows it.</summary>
/// <param name="Phase">1 without an agent file (scraped only), 2 with one (pushes to its push target).</param>
/// <param name="ConfigGeneration">How many times the agent has started on a readable agent file (or none) since the fleet started.</param>
/// <param name="Samples">The agent's sample counter (<c>demo_agent_samples_total</c>): one per push period while up.</param>
public sealed record AgentState(
    string Name,
    int Port,
    string Mode,
    int DelayMs,
    int Phase,
    long ConfigGeneration,
    string? ConfigSha256,
    string? AgentFile,
    string? PushTarget,
    long Samples,
    long PushesOk,
    long PushesFailed,
    PushResult? LastPush,
    string? Error);

/// <summary>The outcome of one push: <paramref name="Status"/> is the HTTP status when the target answered.</summary>
public sealed record PushResult(DateTimeOffset At, bool Ok, int? Status, double DurationMs, long Sample, string? Error);
