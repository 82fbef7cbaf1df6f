using Resilience.Pulumi;

namespace Resilience.Tests.Pulumi;

/// <summary>Compiles stacks in-process, as Pulumi would with PULUMI_STACK and PULUMI_CONFIG set.</summary>
public static class PulumiPrograms
{
    public static string Compile(string stack, IReadOnlyDictionary<string, string>? config = null, string? projectDir = null) =>
        PulumiYamlCompiler.Compile(projectDir ?? RepoPaths.Root,
            new PulumiEnvironment(stack, config ?? new Dictionary<string, string>(), new HashSet<string>()));

    public static PulumiTemplate Template(string stack, IReadOnlyDictionary<string, string>? config = null, string? projectDir = null) =>
        PulumiTemplate.Parse(Compile(stack, config, projectDir));

    public static string Discovery() => PulumiYamlCompiler.Compile("", new PulumiEnvironment(null, new Dictionary<string, string>(), new HashSet<string>()));

    public static Dictionary<string, string> Week(int week, params (string Key, string Value)[] more)
    {
        var config = new Dictionary<string, string> { ["resilience:rolloutWeek"] = week.ToString() };
        foreach (var (k, v) in more) config[$"resilience:{k}"] = v;
        return config;
    }
}
