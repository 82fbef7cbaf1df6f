using System.Text.Json.Nodes;
using Resilience.Engine.Planning;
using Resilience.Engine.Secrets;
using Resilience.Stack.Inventory;
using Resilience.Stack.Review;

namespace Resilience.Cli.Views;

/// <summary>Hands a plan's steps, masked, to the Stack layer's review, which knows what the resources mean.</summary>
public static class PlanReview
{
    public static IReadOnlyList<ComponentChange> For(Plan plan, AgentInventory? inventory) =>
        ChangeReview.Summarize(plan.Steps.Where(s => !s.Orphan).Select(s => new ReviewedResource(
            s.Type,
            s.Name,
            s.Kind.Name(),
            s.Kind == StepKind.Create ? null : Masked(s.Recorded?.Inputs),
            s.Kind == StepKind.Delete ? null : Masked(s.Desired?.Inputs),
            s.DeletesData)), inventory);

    private static JsonObject? Masked(JsonObject? inputs) => SecretCodec.Masked(inputs) as JsonObject;
}
