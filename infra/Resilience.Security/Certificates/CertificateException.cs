namespace Resilience.Security.Certificates;

/// <summary>A certificate or key that cannot be used, said so an operator can act (which one, what is wrong).</summary>
public sealed class CertificateException(string message) : Exception(message);
