namespace Resilience.Runtime.Contracts;

/// <summary>A mistake in the config file, named by file and key so the operator can fix it.</summary>
public sealed class ConfigException(string message) : Exception(message);
