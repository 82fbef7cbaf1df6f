namespace Resilience.DemoFleet.Agents;

/// <summary>An agent file that exists but cannot be used; the message names the file and the key.</summary>
public sealed class AgentFileException(string message) : Exception(message);
