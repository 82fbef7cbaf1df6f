using System.CommandLine;

namespace Resilience.Cli.Commands;

/// <summary>The options the engine verbs share, named as Pulumi names them.</summary>
public sealed class EngineOptions(Option<string> stack)
{
    public Option<string> Stack { get; } = stack;
    public Option<string?> Backend { get; } = new("--backend") { Description = $"State backend URL (file://PATH); default ${EngineSession.BackendVariable} or .resilience/ in the project" };
    public Option<bool> Json { get; } = new("--json", "-j") { Description = "Machine-readable JSON on stdout" };
    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Apply without asking" };
    public Option<bool> Diff { get; } = new("--diff") { Description = "Show the changes property by property" };
    public Option<string[]> Target { get; } = new("--target") { Description = "Limit to these resource URNs (repeatable)", AllowMultipleArgumentsPerToken = false };
    public Option<int> Parallel { get; } = new("--parallel", "-p") { Description = "How many steps run at once", DefaultValueFactory = _ => 4 };

    public IReadOnlySet<string>? Targets(ParseResult parse) =>
        parse.GetValue(Target) is { Length: > 0 } targets ? targets.ToHashSet(StringComparer.Ordinal) : null;
}
