using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Resilience.Contracts.Command;

/// <summary>
/// The inputs of a "command:agent-restart": tells one agent that its config file changed by running a command
/// (resilience:agentRestartCommand, e.g. `supervisorctl restart {program}`) as an argument list, never through a
/// shell. It runs when created and whenever its trigger (the agent file's content hash) or command changes, and once
/// more when deleted (the file is gone or its original put back) unless the same run has told the agent already. A non-zero exit fails the step with the command's output.
/// </summary>
[ResourceType("command:agent-restart")]
public sealed partial record AgentRestartInputs : IValidatedInputs
{
    /// <summary>The agent's program name (its inventory name): letters, digits, '-' and '_'.</summary>
    [JsonPropertyName("program"), ReplaceOnChange]
    public required string Program { get; init; }

    /// <summary>The command as its arguments, placeholders already filled; the first is the executable.</summary>
    [JsonPropertyName("args")]
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>What makes it run again: the agent file's content hash.</summary>
    [JsonPropertyName("trigger"), ReplaceOnChange]
    public required string Trigger { get; init; }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    public static partial Regex ProgramName();

    public void Validate(InputFailures failures)
    {
        if (Program is { } program && !ProgramName().IsMatch(program))
            failures.Add(nameof(Program), $"'{program}' may contain only letters, digits, '-' and '_'");
        if (Args is null || Args.Count == 0 || string.IsNullOrWhiteSpace(Args[0]))
            failures.Add(nameof(Args), "needs at least the executable");
        else if (Args.Any(a => a.Contains('\0')))
            failures.Add(nameof(Args), "an argument contains a NUL character");
    }
}
