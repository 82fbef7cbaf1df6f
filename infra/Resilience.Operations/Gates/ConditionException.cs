namespace Resilience.Operations.Gates;

/// <summary>A condition that cannot be read, or that compares values of different kinds; <see cref="Column"/> is 1-based.</summary>
public sealed class ConditionException(string message, int column) : Exception(message)
{
    public int Column { get; } = column;
}
