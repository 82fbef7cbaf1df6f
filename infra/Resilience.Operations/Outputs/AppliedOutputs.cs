using Resilience.Engine.History;
using Resilience.Model;

namespace Resilience.Operations.Outputs;

/// <summary>What `stack output` answers: the outputs of the version that is deployed, or why there is none.</summary>
public abstract record AppliedOutputs(string Stack)
{
    /// <param name="Version">The last run that succeeded: its graph is what runs.</param>
    /// <param name="Values">Secret values masked unless they were asked for.</param>
    public sealed record Applied(string Stack, StackVersion Version, IReadOnlyDictionary<string, StackOutput> Values) : AppliedOutputs(Stack)
    {
        /// <summary>The latest run, when it came after <see cref="Version"/> and did not succeed (failed, or still running).</summary>
        public StackVersion? NewerUnfinished { get; init; }
    }

    /// <param name="Destroyed">The destroy that was the last successful run; null when no run ever succeeded.</param>
    public sealed record NothingApplied(string Stack, StackVersion? Destroyed) : AppliedOutputs(Stack);
}
