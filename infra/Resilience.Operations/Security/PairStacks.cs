using System.Text.Json.Nodes;
using Resilience.Stack.Config;

namespace Resilience.Operations.Security;

/// <summary>One stack file of the pair: a Pulumi.&lt;stack&gt;.yaml whose resilience:machine is mainpc, pc2 or witness.</summary>
public sealed record PairStack(string Stack, string Machine, StackConfig Config)
{
    public string StackFile => Config.StackFile;

    /// <summary>Every stack file of the project that deploys a machine: they share one CA and one set of credentials.</summary>
    public static IReadOnlyList<PairStack> Find(string projectDir)
    {
        var stacks = new List<PairStack>();
        foreach (var file in Directory.GetFiles(projectDir, "Pulumi.*.yaml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var stack = name["Pulumi.".Length..^".yaml".Length];
            if (stack.Length == 0) continue;
            var config = StackConfig.Load(projectDir, stack);
            if (config.Find("machine") is { Value: JsonValue v } && v.TryGetValue<string>(out var machine) && Machines.Stacks.Contains(machine))
                stacks.Add(new PairStack(stack, machine, config));
        }
        return stacks;
    }
}
