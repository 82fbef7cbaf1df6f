namespace Resilience.Secrets;

/// <summary>A "v1:…" value that is malformed or fails authentication; callers add the stack file and key.</summary>
public sealed class CorruptCiphertextException(string reason) : Exception(reason);
