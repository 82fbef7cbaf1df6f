using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Stack.Review;

/// <summary>The agent inventory a stack's config names, for a review to tell which wave an agent belongs to.</summary>
public static class ReviewInventory
{
    public static AgentInventory Load(StackConfig config, string projectDir) =>
        AgentInventory.Load(Path.Combine(projectDir, new TypedConfig(config).String("inventory")));
}
