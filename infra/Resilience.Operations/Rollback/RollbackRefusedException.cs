namespace Resilience.Operations.Rollback;

/// <summary>A rollback that cannot keep the stack file and the deployment in agreement; nothing was changed.</summary>
public sealed class RollbackRefusedException(string message) : Exception(message);
