namespace Resilience.Engine.Providers;

/// <summary>
/// What a provider works through (the Docker engine, a server) stopped answering: no further step can succeed, so a run
/// starts no more steps and the operator sees this message once. The message says what to do.
/// </summary>
public sealed class ProviderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
