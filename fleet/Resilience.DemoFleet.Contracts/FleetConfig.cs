using System.Net;
using System.Text.RegularExpressions;

namespace Resilience.DemoFleet.Contracts;

/// <summary>
/// The demo fleet of one machine: the address all its endpoints listen on, the control API's port, how often each
/// agent pushes its metrics, and the agents. The stacks write it with <see cref="FleetConfigYaml.Write"/>; the fleet
/// reads it with <see cref="FleetConfigYaml.Load"/>; both refuse a config with <see cref="Problems"/>.
/// </summary>
public sealed partial record FleetConfig(string Address, int ControlPort, TimeSpan PushPeriod, IReadOnlyList<FleetAgent> Agents)
{
    public static readonly TimeSpan MinimumPushPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>Set: every port (control and agents) serves HTTPS only and asks for basic auth (issue 16).</summary>
    public FleetHttps? Https { get; init; }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NameToken();

    /// <summary>Everything wrong with this config, each under the key it is written at in the file.</summary>
    public IReadOnlyList<FleetConfigProblem> Problems()
    {
        var problems = new List<FleetConfigProblem>();
        void Add(string key, string problem) => problems.Add(new FleetConfigProblem(key, problem));

        if (!IPAddress.TryParse(Address, out _))
        {
            Add(FleetConfigYaml.Keys.Address, $"'{Address}' is not an IP address (the machine's address, e.g. 127.0.0.3)");
        }
        if (!IsPort(ControlPort))
        {
            Add(FleetConfigYaml.Keys.ControlPort, $"{ControlPort} is not a port (1-65535)");
        }
        if (PushPeriod < MinimumPushPeriod)
        {
            Add(FleetConfigYaml.Keys.PushPeriod, $"{FleetDuration.Format(PushPeriod)} is below the minimum of {FleetDuration.Format(MinimumPushPeriod)}");
        }
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var ports = new Dictionary<int, string> { [ControlPort] = FleetConfigYaml.Keys.ControlPort };
        for (var i = 0; i < Agents.Count; i++)
        {
            var agent = Agents[i];
            var key = $"{FleetConfigYaml.Keys.Agents}[{i}]";
            if (!NameToken().IsMatch(agent.Name))
            {
                Add($"{key}.{FleetConfigYaml.Keys.Name}", $"'{agent.Name}' may contain only letters, digits, '-' and '_' (it is a URL path segment and a label value)");
            }
            else if (names.TryGetValue(agent.Name, out var first))
            {
                Add($"{key}.{FleetConfigYaml.Keys.Name}", $"'{agent.Name}' is also agents[{first}]");
            }
            else
            {
                names[agent.Name] = i;
            }
            if (!IsPort(agent.Port))
            {
                Add($"{key}.{FleetConfigYaml.Keys.Port}", $"{agent.Port} is not a port (1-65535)");
            }
            else if (ports.TryGetValue(agent.Port, out var user))
            {
                Add($"{key}.{FleetConfigYaml.Keys.Port}", $"{agent.Port} is already used by {user}");
            }
            else
            {
                ports[agent.Port] = $"{key} ({agent.Name})";
            }
            CheckPath(agent.HealthPath, $"{key}.{FleetConfigYaml.Keys.HealthPath}");
            CheckPath(agent.MetricsPath, $"{key}.{FleetConfigYaml.Keys.MetricsPath}");
            if (agent.HealthPath == agent.MetricsPath)
            {
                Add($"{key}.{FleetConfigYaml.Keys.MetricsPath}", $"'{agent.MetricsPath}' is also the health path");
            }
            if (agent.AgentFile is { } file && (file.Length == 0 || file.Contains('\0')))
            {
                Add($"{key}.{FleetConfigYaml.Keys.AgentFile}", "is not a file path");
            }
        }
        if (Https is { } https)
        {
            var key = FleetConfigYaml.Keys.Https;
            if (string.IsNullOrWhiteSpace(https.CertFile)) Add($"{key}.{FleetConfigYaml.Keys.CertFile}", "is required (the machine's certificate, PEM)");
            if (string.IsNullOrWhiteSpace(https.KeyFile)) Add($"{key}.{FleetConfigYaml.Keys.KeyFile}", "is required (its key, PEM, 0600)");
            if (https.Users.Count == 0) Add($"{key}.{FleetConfigYaml.Keys.Users}", "at least one user is required (user, role, passwordHash)");
            for (var i = 0; i < https.Users.Count; i++)
            {
                var user = https.Users[i];
                var at = $"{key}.{FleetConfigYaml.Keys.Users}[{i}]";
                if (!NameToken().IsMatch(user.User)) Add($"{at}.{FleetConfigYaml.Keys.User}", $"'{user.User}' may contain only letters, digits, '-' and '_'");
                else if (https.Users.Take(i).Any(u => u.User == user.User)) Add($"{at}.{FleetConfigYaml.Keys.User}", $"'{user.User}' is listed twice");
                if (!FleetHttps.Roles.Contains(user.Role)) Add($"{at}.{FleetConfigYaml.Keys.Role}", $"'{user.Role}' is not one of: {string.Join(", ", FleetHttps.Roles)}");
                if (!user.PasswordHash.StartsWith("$2", StringComparison.Ordinal))
                    Add($"{at}.{FleetConfigYaml.Keys.PasswordHash}", "is not a bcrypt hash ($2a$...); the file never holds a caller's password");
            }
        }
        return problems;

        void CheckPath(string path, string key)
        {
            if (!path.StartsWith('/') || path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#'))
            {
                Add(key, $"'{path}' is not a URL path (it starts with '/', without spaces, query or fragment)");
            }
        }
    }

    private static bool IsPort(int port) => port is >= 1 and <= 65535;
}

/// <summary>
/// HTTPS with basic auth on every port of the fleet: the machine's certificate and key (PEM; the key 0600, readable by
/// the fleet's user) and the users that may call, by bcrypt hash. Agents' /health and /metrics take the operator and
/// the hubs (they scrape them; the runtime probes /health as a hub); the control API takes the operator only.
/// </summary>
public sealed record FleetHttps(string CertFile, string KeyFile, IReadOnlyList<FleetUser> Users)
{
    public const string Operator = "operator";
    public const string Hub = "hub";
    public const string Pusher = "pusher";
    public static readonly string[] Roles = [Operator, Hub, Pusher];
}

public sealed record FleetUser(string User, string Role, string PasswordHash);
