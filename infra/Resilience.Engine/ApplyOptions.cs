using System.Text.Json.Nodes;
using Resilience.Engine.Execution;
using Resilience.Engine.Planning;

namespace Resilience.Engine;

public sealed record ApplyOptions : PlanOptions
{
    public int MaxParallelism { get; init; } = Executor.DefaultParallelism;

    /// <summary>Recorded in the lock and the history: "up", "destroy", "rollback".</summary>
    public string? Command { get; init; }

    /// <summary>The stack configuration this run used, stored in the history as given (wrapped secrets protected).</summary>
    public JsonObject? Config { get; init; }

    public string? GitCommit { get; init; }

    /// <summary>For a rollback: what it restores ("3", "phase1"), recorded in the history version.</summary>
    public string? RolledBackTo { get; init; }
}
