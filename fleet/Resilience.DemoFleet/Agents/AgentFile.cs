namespace Resilience.DemoFleet.Agents;

/// <summary>What an agent took from its rendered agent file (templates/agent.yaml.sbn) when it (re)started.</summary>
/// <param name="Sha256">The file's content hash (lower-case hex): which file the agent runs on.</param>
/// <param name="PushTarget">The machine's failover runtime, Pushgateway API, with this agent's job.</param>
public sealed record AgentFile(string Path, string Sha256, Uri PushTarget);
