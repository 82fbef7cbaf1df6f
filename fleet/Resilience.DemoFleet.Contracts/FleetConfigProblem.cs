namespace Resilience.DemoFleet.Contracts;

/// <summary>One thing wrong with a fleet config: the key (as written in the file, e.g. <c>agents[2].port</c>) and why.</summary>
public sealed record FleetConfigProblem(string Key, string Problem);
