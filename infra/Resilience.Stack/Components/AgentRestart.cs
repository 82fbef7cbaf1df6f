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

    /// <summary>http://ADDRESS:PORT of the demo fleet's control API, https:// when the stack has security material.</summary>
    public const string ControlUrl = "{demoFleetControlUrl}";

    /// <summary>
    /// With security material, <c>-K</c> and the path of a 0600 curl config holding the operator's credential and the
    /// pair's CA (<see cref="CurlConfigFile"/>): curl reads the password from the file, so it is never in argv. Without
    /// it, nothing: a word that a placeholder leaves empty is dropped.
    /// </summary>
    public const string CurlConfig = "{curlConfig}";

    public static readonly string[] Placeholders = [Program, "{address}", "{demoFleetControlPort}", ControlUrl, CurlConfig];
    private const string Key = "agentRestartCommand";

    /// <summary>The curl config the restart command reads (<see cref="CurlConfig"/>), under the stack's host folder.</summary>
    public const string CurlConfigFile = "agents/restart.curlrc";

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
    /// <param name="hostDir">The stack's host folder: where <see cref="CurlConfigFile"/> is.</param>
    public static IReadOnlyList<string> Args(StackSettings s, Agent agent, string? hostDir = null) => Split(s.AgentRestartCommand)
        .Select(w => w.Replace(Program, agent.Name, StringComparison.Ordinal)
            .Replace("{address}", s.Machines[agent.Machine].Address, StringComparison.Ordinal)
            .Replace("{demoFleetControlPort}", s.DemoFleet.ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(ControlUrl, $"{ListenerTls.AgentScheme(s)}://{s.Machines[agent.Machine].Address}:{s.DemoFleet.ControlPort}", StringComparison.Ordinal)
            .Replace(CurlConfig, s.Security is null || hostDir is null ? "" : "-K" + Path.Combine(hostDir, CurlConfigFile), StringComparison.Ordinal))
        .Where(w => w.Length > 0)
        .ToList();

    /// <summary>
    /// The curl config of <see cref="CurlConfig"/>: the operator's user and password (the control API takes the
    /// operator only) and the pair's CA (the demo fleet's copy, <see cref="DemoFleet.CaFile"/>). Quoted values: curl's
    /// config syntax.
    /// </summary>
    public static string CurlConfigText(SecuritySettings security, string hostDir)
    {
        var user = security.User(SecurityRoles.Operator);
        return "# Managed by resilience: the operator's credential for the demo fleet's control API (agentRestartCommand).\n"
            + $"user = \"{user.User}:{user.Password}\"\n"
            + $"cacert = \"{Path.Combine(hostDir, DemoFleet.CaFile)}\"\n";
    }

    /// <param name="agents">The agents' process: the demo fleet's container, or none (a machine's own supervisor).</param>
    public static void Declare(StackBuilder b, IEnumerable<AgentFile> files, Resource? agents)
    {
        var s = b.Settings;
        Resource? curlConfig = null;
        foreach (var (agent, file, content) in files)
        {
            if (s.Security is { } security && curlConfig is null && s.AgentRestartCommand.Contains(CurlConfig, StringComparison.Ordinal))
            {
                curlConfig = b.AddFile(CurlConfigFile, CurlConfigText(security, b.HostDir), secret: true);
            }
            List<Resource> after = agents is null ? [file] : [file, agents];
            if (curlConfig is not null) after.Add(curlConfig);
            b.Add($"agents/{agent.ConfigFileName}", new AgentRestartInputs
            {
                Program = agent.Name,
                Args = Args(s, agent, b.HostDir),
                Trigger = StackBuilder.Hash([Masked(s, content)]),
            }, after, new ResourceOptions { DeleteAfter = file.Urn });
        }
    }

    /// <summary>The trigger is plain state: an agent file's pusher password is replaced by its bcrypt hash first.</summary>
    private static string Masked(StackSettings s, string content) => s.Security?.User(SecurityRoles.Pusher) is { } pusher
        ? content.Replace(pusher.Password, pusher.PasswordHash, StringComparison.Ordinal)
        : content;

    private static string[] Split(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
