namespace Resilience.DemoFleet.Contracts;

/// <summary>A mistake in a fleet config, named by file, line and key so the operator can fix it.</summary>
public sealed class FleetConfigException(string message) : Exception(message);
