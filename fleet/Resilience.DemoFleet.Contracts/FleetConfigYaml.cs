using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.DemoFleet.Contracts;

/// <summary>
/// The file form of <see cref="FleetConfig"/> (YAML, camelCase keys). Reading checks every key and value and names
/// the file, line and key of the first mistake; writing refuses a config the fleet would refuse.
/// </summary>
/// <example>
/// address: 127.0.0.3
/// controlPort: 9190
/// pushPeriod: 5s
/// agents:
///   - {name: ObservabilityHub, port: 7152, agentFile: /etc/resilience/agents/observability_hub.yaml}
/// </example>
public static class FleetConfigYaml
{
    public static class Keys
    {
        public const string Address = "address";
        public const string ControlPort = "controlPort";
        public const string PushPeriod = "pushPeriod";
        public const string Agents = "agents";
        public const string Name = "name";
        public const string Port = "port";
        public const string HealthPath = "healthPath";
        public const string MetricsPath = "metricsPath";
        public const string AgentFile = "agentFile";
        public const string Https = "https";
        public const string CertFile = "certFile";
        public const string KeyFile = "keyFile";
        public const string Users = "users";
        public const string User = "user";
        public const string Role = "role";
        public const string PasswordHash = "passwordHash";

        public static readonly string[] Top = [Address, ControlPort, PushPeriod, Agents, Https];
        public static readonly string[] Agent = [Name, Port, HealthPath, MetricsPath, AgentFile];
        public static readonly string[] HttpsKeys = [CertFile, KeyFile, Users];
        public static readonly string[] UserKeys = [User, Role, PasswordHash];
    }

    public static FleetConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FleetConfigException($"{path}: cannot read the fleet config: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <param name="source">The file name used in error messages.</param>
    public static FleetConfig Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FleetConfigException($"{source}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        return new Reader(source).Read(stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode);
    }

    /// <summary>The YAML text of <paramref name="config"/>; throws <see cref="FleetConfigException"/> if it has problems.</summary>
    public static string Write(FleetConfig config)
    {
        if (config.Problems() is [var first, ..])
        {
            throw new FleetConfigException($"fleet config: {first.Key}: {first.Problem}");
        }
        var agents = new YamlSequenceNode();
        foreach (var agent in config.Agents)
        {
            var node = new YamlMappingNode
            {
                { Keys.Name, agent.Name },
                { Keys.Port, agent.Port.ToString(CultureInfo.InvariantCulture) },
                { Keys.HealthPath, agent.HealthPath },
                { Keys.MetricsPath, agent.MetricsPath },
            };
            if (agent.AgentFile is { } file)
            {
                node.Add(Keys.AgentFile, new YamlScalarNode(file) { Style = ScalarStyle.DoubleQuoted });
            }
            agents.Add(node);
        }
        var root = new YamlMappingNode
        {
            { Keys.Address, config.Address },
            { Keys.ControlPort, config.ControlPort.ToString(CultureInfo.InvariantCulture) },
            { Keys.PushPeriod, FleetDuration.Format(config.PushPeriod) },
            { Keys.Agents, agents },
        };
        if (config.Https is { } https)
        {
            var users = new YamlSequenceNode();
            foreach (var user in https.Users)
            {
                users.Add(new YamlMappingNode
                {
                    { Keys.User, user.User },
                    { Keys.Role, user.Role },
                    { Keys.PasswordHash, new YamlScalarNode(user.PasswordHash) { Style = ScalarStyle.DoubleQuoted } },
                });
            }
            root.Add(Keys.Https, new YamlMappingNode
            {
                { Keys.CertFile, new YamlScalarNode(https.CertFile) { Style = ScalarStyle.DoubleQuoted } },
                { Keys.KeyFile, new YamlScalarNode(https.KeyFile) { Style = ScalarStyle.DoubleQuoted } },
                { Keys.Users, users },
            });
        }
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private sealed class Reader(string source)
    {
        private readonly Dictionary<string, long> _lines = new(StringComparer.Ordinal);

        public FleetConfig Read(YamlNode? root)
        {
            if (root is not YamlMappingNode map)
            {
                throw new FleetConfigException($"{source}: the file is empty or not a mapping (keys: {string.Join(", ", Keys.Top)})");
            }
            var top = Fields(map, "", Keys.Top);
            var agentsNode = Required(top, Keys.Agents, "", root);
            if (agentsNode is not YamlSequenceNode sequence)
            {
                throw Error(Keys.Agents, agentsNode, "is not a list of agents");
            }
            var agents = sequence.Children.Select((node, i) => Agent(node, $"{Keys.Agents}[{i}]")).ToList();
            var periodNode = Required(top, Keys.PushPeriod, "", root);
            var period = FleetDuration.TryParse(Scalar(periodNode, Keys.PushPeriod), out var p)
                ? p
                : throw Error(Keys.PushPeriod, periodNode, $"'{Scalar(periodNode, Keys.PushPeriod)}' is not a duration (examples: 500ms, 5s, 2m)");
            var config = new FleetConfig(
                Scalar(Required(top, Keys.Address, "", root), Keys.Address),
                Int(Required(top, Keys.ControlPort, "", root), Keys.ControlPort),
                period,
                agents)
            {
                Https = top.TryGetValue(Keys.Https, out var https) ? Https(https) : null,
            };
            if (config.Problems() is [var first, ..])
            {
                throw new FleetConfigException($"{source}: line {_lines.GetValueOrDefault(first.Key)}: {first.Key}: {first.Problem}");
            }
            return config;
        }

        private FleetAgent Agent(YamlNode node, string key)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(key, node, $"is not a mapping (keys: {string.Join(", ", Keys.Agent)})");
            }
            var fields = Fields(map, key + ".", Keys.Agent);
            string? Optional(string name) => fields.TryGetValue(name, out var value) ? Scalar(value, $"{key}.{name}") : null;
            return new FleetAgent(
                Scalar(Required(fields, Keys.Name, key + ".", node), $"{key}.{Keys.Name}"),
                Int(Required(fields, Keys.Port, key + ".", node), $"{key}.{Keys.Port}"),
                Optional(Keys.AgentFile),
                Optional(Keys.HealthPath) ?? FleetAgent.DefaultHealthPath,
                Optional(Keys.MetricsPath) ?? FleetAgent.DefaultMetricsPath);
        }

        private FleetHttps Https(YamlNode node)
        {
            var key = Keys.Https;
            if (node is not YamlMappingNode map)
            {
                throw Error(key, node, $"is not a mapping (keys: {string.Join(", ", Keys.HttpsKeys)})");
            }
            var fields = Fields(map, key + ".", Keys.HttpsKeys);
            var usersNode = Required(fields, Keys.Users, key + ".", node);
            if (usersNode is not YamlSequenceNode sequence)
            {
                throw Error($"{key}.{Keys.Users}", usersNode, "is not a list of users");
            }
            var users = sequence.Children.Select((user, i) =>
            {
                var at = $"{key}.{Keys.Users}[{i}]";
                if (user is not YamlMappingNode userMap)
                {
                    throw Error(at, user, $"is not a mapping (keys: {string.Join(", ", Keys.UserKeys)})");
                }
                var userFields = Fields(userMap, at + ".", Keys.UserKeys);
                return new FleetUser(
                    Scalar(Required(userFields, Keys.User, at + ".", user), $"{at}.{Keys.User}"),
                    Scalar(Required(userFields, Keys.Role, at + ".", user), $"{at}.{Keys.Role}"),
                    Scalar(Required(userFields, Keys.PasswordHash, at + ".", user), $"{at}.{Keys.PasswordHash}"));
            }).ToList();
            return new FleetHttps(
                Scalar(Required(fields, Keys.CertFile, key + ".", node), $"{key}.{Keys.CertFile}"),
                Scalar(Required(fields, Keys.KeyFile, key + ".", node), $"{key}.{Keys.KeyFile}"),
                users);
        }

        private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string prefix, string[] allowed)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var name = keyNode is YamlScalarNode { Value: { } text } ? text : "";
                if (!allowed.Contains(name))
                {
                    var hint = Nearest(name, allowed) is { } near ? $"did you mean '{near}'? " : "";
                    throw Error(prefix + name, keyNode, $"unknown key ({hint}keys: {string.Join(", ", allowed)})");
                }
                if (!fields.TryAdd(name, value))
                {
                    throw Error(prefix + name, keyNode, "appears twice");
                }
                _lines[prefix + name] = value.Start.Line;
            }
            return fields;
        }

        private YamlNode Required(Dictionary<string, YamlNode> fields, string name, string prefix, YamlNode parent) =>
            fields.TryGetValue(name, out var node) ? node : throw Error(prefix + name, parent, "is required");

        private string Scalar(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { } value } && value.Length > 0 ? value : throw Error(key, node, "must be a non-empty value");

        private int Int(YamlNode node, string key) =>
            int.TryParse(Scalar(node, key), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Error(key, node, $"'{Scalar(node, key)}' is not a whole number");

        private FleetConfigException Error(string key, YamlNode node, string problem) =>
            new($"{source}: line {node.Start.Line}: {key}: {problem}");

        private static string? Nearest(string name, string[] candidates) =>
            candidates.Select(c => (c, d: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
                .Where(x => x.d <= Math.Max(2, x.c.Length / 3)).OrderBy(x => x.d).Select(x => x.c).FirstOrDefault();

        private static int Distance(string a, string b)
        {
            var row = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var diagonal = row[0];
                row[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                    diagonal = above;
                }
            }
            return row[b.Length];
        }
    }
}
