using Resilience.Contracts.Command;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Stack.Components;

/// <summary>
/// Tells an agent its file changed: a "command:agent-restart" per agent file, after the file, triggered by its
/// content, running resilience:agentRestartCommand split at spaces with its placeholders filled. Arguments, never a
/// shell line: an agent name is letters, digits, '-' and '_' (the inventory and the contract refuse anything else).
/// </summary>
public static class AgentRestart
{
    public const string Program = "{program}";
    public static readonly string[] Placeholders = [Program, "{address}", "{demoFleetControlPort}"];
    private const string Key = "agentRestartCommand";

    /// <summary>The command as written, refused when it is empty or names a placeholder that does not exist.</summary>
    public static string Checked(TypedConfig c)
    {
        var command = c.String(Key);
        var value = c.Config.Find(Key)!;
        if (string.IsNullOrWhiteSpace(command)) throw TypedConfig.Error(value, "is empty: it needs at least the program to run");
        foreach (var word in Split(command))
        {
            for (var at = word.IndexOf('{'); at >= 0; at = word.IndexOf('{', at + 1))
            {
                var end = word.IndexOf('}', at);
                var placeholder = end < 0 ? word[at..] : word[at..(end + 1)];
                if (!Placeholders.Contains(placeholder))
                    throw TypedConfig.Error(value, $"'{placeholder}' is not a placeholder (known: {string.Join(", ", Placeholders)})");
            }
        }
        return command;
    }

    /// <summary>The arguments for one agent.</summary>
    public static IReadOnlyList<string> Args(StackSettings s, Agent agent) => Split(s.AgentRestartCommand)
        .Select(w => w.Replace(Program, agent.Name, StringComparison.Ordinal)
            .Replace("{address}", s.Machines[agent.Machine].Address, StringComparison.Ordinal)
            .Replace("{demoFleetControlPort}", s.DemoFleet.ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
        .ToList();

    /// <param name="agents">The agents' process: the demo fleet's container, or none (a machine's own supervisor).</param>
    public static void Declare(StackBuilder b, IEnumerable<AgentFile> files, Resource? agents)
    {
        foreach (var (agent, file, content) in files)
        {
            b.Add($"agents/{agent.ConfigFileName}", new AgentRestartInputs
            {
                Program = agent.Name,
                Args = Args(b.Settings, agent),
                Trigger = StackBuilder.Hash([content]),
            }, agents is null ? [file] : [file, agents], new ResourceOptions { DeleteAfter = file.Urn });
        }
    }

    private static string[] Split(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
