using System.Globalization;
using System.Text.RegularExpressions;
using Resilience.Platform;
using Resilience.Stack.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.Operations.Gates;

/// <summary>
/// Reads a gate file (gates/*.yaml). Every mistake is a <see cref="ConfigException"/> naming the file, the line and
/// the key (checks[2].successCondition), so the CLI reports it as `error: FILE: line N: KEY: problem` with exit 2.
/// A timing key written <c>${gateWeek1Observation}</c>, and <c>${key}</c> in a query, take the stack config's value
/// (<see cref="GateDurations"/>): the seeds' periods in production, seconds in the demo.
/// </summary>
public static partial class GateFile
{
    /// <summary>The names a success condition may read besides result and baseline.</summary>
    public static readonly IReadOnlySet<string> Variables = new HashSet<string>(StringComparer.Ordinal)
        { "scrapeInterval", "pushPeriod", "migratedCount", "allCount" };

    private static readonly string[] TopKeys = ["gate", "description", "defaults", "checks"];
    private static readonly string[] TimingKeys = ["interval", "observation", "initialDelay", "failureLimit", "inconclusiveLimit"];
    private static readonly string[] CheckKeys = ["name", "description", "kind", "successCondition", "onNoData", "baseline", "machines",
        "hub", "query", "expect", "check", "machine", "stream", "consumer", "from", "to", "subject", "field", "agents", .. TimingKeys];
    private static readonly string[] Hubs = ["centralhub", "edgehub"];

    /// <param name="durations">The stack's gate durations that ${key} names; none when read without a stack.</param>
    public static GateDefinition Load(string path, GateDurations? durations = null)
    {
        if (!File.Exists(path)) throw new ConfigException(path, "file", "not found");
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ConfigException(path, $"line {e.Start.Line}", $"not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18 throws this from its scanner on some unclosed flow collections, without a position.
            throw new ConfigException(path, "file", $"not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException(path, "line 1", "expected a mapping with gate: and checks:");
        return new Reader(path, durations ?? GateDurations.None).Gate(root);
    }

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Reference();

    private sealed class Reader(string path, GateDurations durations)
    {
        public GateDefinition Gate(YamlMappingNode root)
        {
            Known(root, TopKeys, "");
            var name = Text(root, "gate", "") ?? throw Error(root, "gate", "required: the gate's name");
            var defaults = Child(root, "defaults") is { } d ? Mapping(d, "defaults") : new YamlMappingNode();
            Known(defaults, TimingKeys, "defaults.");
            if (Child(root, "checks") is not YamlSequenceNode checks || checks.Children.Count == 0)
                throw Error(Child(root, "checks") ?? root, "checks", "required: a list of at least one check");
            var read = checks.Children.Select((c, i) => Check(Mapping(c, $"checks[{i}]"), defaults, $"checks[{i}]")).ToList();
            foreach (var twice in read.GroupBy(c => c.Name).Where(g => g.Count() > 1))
                throw new ConfigException(path, $"line {twice.Last().Line}", $"checks: the name '{twice.Key}' is used twice");
            return new GateDefinition(name, Text(root, "description", ""), path, read);
        }

        private CheckDefinition Check(YamlMappingNode c, YamlMappingNode defaults, string at)
        {
            Known(c, CheckKeys, at + ".");
            var name = Text(c, "name", at) ?? throw Error(c, $"{at}.name", "required");
            var kind = Text(c, "kind", at) ?? throw Error(c, $"{at}.kind", "required: promql, nats or http");
            var probe = kind switch
            {
                "promql" => PromQl(c, at),
                "nats" => Nats(c, at),
                "http" => Http(c, at),
                _ => throw Error(Child(c, "kind")!, $"{at}.kind", $"'{kind}': expected promql, nats or http"),
            };
            var onNoData = Text(c, "onNoData", at) ?? throw Error(c, $"{at}.onNoData",
                "required: say what an empty answer counts as (fail, inconclusive or pass) — an empty query result is how gates lie");
            var baseline = Text(c, "baseline", at);
            var known = new HashSet<string>(Variables, StringComparer.Ordinal) { "result" };
            if (baseline is not null) known.Add("baseline");
            var conditionText = Text(c, "successCondition", at) ?? throw Error(c, $"{at}.successCondition", "required (e.g. result == 0)");
            Condition condition;
            try
            {
                condition = Condition.Parse(conditionText, known);
            }
            catch (ConditionException e)
            {
                throw Error(Child(c, "successCondition")!, $"{at}.successCondition", $"column {e.Column}: {e.Message}");
            }
            var machines = Child(c, "machines") is { } m ? Strings(m, $"{at}.machines") : [];
            foreach (var machine in machines) OneOf(Child(c, "machines")!, $"{at}.machines", machine, Machines.All);
            var interval = Duration(c, defaults, "interval", at) ?? TimeSpan.FromSeconds(30);
            if (interval <= TimeSpan.Zero) throw Error(Timed(c, defaults, "interval")!, $"{at}.interval", "must be more than 0");
            return new CheckDefinition
            {
                Name = name,
                Description = Text(c, "description", at),
                Probe = probe,
                SuccessCondition = condition,
                Interval = interval,
                Observation = Duration(c, defaults, "observation", at) ?? TimeSpan.Zero,
                InitialDelay = Duration(c, defaults, "initialDelay", at) ?? TimeSpan.Zero,
                FailureLimit = Count(c, defaults, "failureLimit", at) ?? 0,
                InconclusiveLimit = Count(c, defaults, "inconclusiveLimit", at) ?? 0,
                OnNoData = Enum.Parse<OnNoData>(OneOf(Child(c, "onNoData")!, $"{at}.onNoData", onNoData, ["fail", "inconclusive", "pass"]), ignoreCase: true),
                Baseline = baseline,
                Machines = machines,
                Line = (int)c.Start.Line,
            };
        }

        private ProbeSpec PromQl(YamlMappingNode c, string at)
        {
            var hub = OneOf(Child(c, "hub") ?? c, $"{at}.hub", Text(c, "hub", at) ?? throw Error(c, $"{at}.hub", "required: centralhub or edgehub"), Hubs);
            var query = Text(c, "query", at) ?? throw Error(c, $"{at}.query", "required: a PromQL expression");
            query = Reference().Replace(query, m => new Resilience.Platform.Duration(Resolve(Child(c, "query")!, $"{at}.query", m.Groups[1].Value)).ToString());
            var expect = Text(c, "expect", at);
            if (expect is not null) OneOf(Child(c, "expect")!, $"{at}.expect", expect, AgentSets.Names);
            return new ProbeSpec.PromQl(hub, query, expect);
        }

        private ProbeSpec Nats(YamlMappingNode c, string at)
        {
            var check = OneOf(Child(c, "check") ?? c, $"{at}.check", Text(c, "check", at) ?? throw Error(c, $"{at}.check", "required: streamExists, leafLink, consumerLag or messageFlow"),
                ["streamExists", "leafLink", "consumerLag", "messageFlow"]);
            return check switch
            {
                "streamExists" => new ProbeSpec.StreamExists(Machine(c, "machine", at), Required(c, "stream", at)),
                "leafLink" => new ProbeSpec.LeafLink(Machine(c, "machine", at)),
                "consumerLag" => new ProbeSpec.ConsumerLag(Machine(c, "machine", at), Required(c, "stream", at), Required(c, "consumer", at)),
                _ => new ProbeSpec.MessageFlow(Machine(c, "from", at), Machine(c, "to", at), Required(c, "stream", at), Required(c, "subject", at)),
            };
        }

        private ProbeSpec Http(YamlMappingNode c, string at)
        {
            var check = OneOf(Child(c, "check") ?? c, $"{at}.check", Text(c, "check", at) ?? throw Error(c, $"{at}.check", "required: runtimeStatus or agentHealth"),
                ["runtimeStatus", "agentHealth"]);
            if (check == "runtimeStatus") return new ProbeSpec.RuntimeStatus(Machine(c, "machine", at), Required(c, "field", at));
            return new ProbeSpec.AgentHealth(OneOf(Child(c, "agents") ?? c, $"{at}.agents", Required(c, "agents", at), AgentSets.Names));
        }

        private string Machine(YamlMappingNode c, string key, string at) =>
            OneOf(Child(c, key) ?? c, $"{at}.{key}", Required(c, key, at), Machines.All);

        private string Required(YamlMappingNode c, string key, string at) => Text(c, key, at) ?? throw Error(c, $"{at}.{key}", "required");

        private string OneOf(YamlNode node, string key, string value, IEnumerable<string> allowed)
        {
            var options = allowed.ToList();
            if (options.Contains(value, StringComparer.Ordinal)) return value;
            var near = NearestName.Find(value, options);
            throw Error(node, key, $"'{value}': expected one of {string.Join(", ", options)}{(near is null ? "" : $" (did you mean '{near}'?)")}");
        }

        private TimeSpan? Duration(YamlMappingNode c, YamlMappingNode defaults, string key, string at)
        {
            var node = Timed(c, defaults, key);
            if (node is null) return null;
            var text = Scalar(node, key);
            var where = node == Child(c, key) ? $"{at}.{key}" : $"defaults.{key}";
            if (Reference().Match(text) is { Success: true } reference && reference.Length == text.Length) return Resolve(node, where, reference.Groups[1].Value);
            if (!Resilience.Platform.Duration.TryParse(text, out var value, out var problem))
                throw Error(node, where, $"'{text}': {problem} (e.g. {Resilience.Platform.Duration.Examples} or ${{gateKey}})");
            return value.Value;
        }

        /// <summary>The stack config's value of a gate key the file names as ${key}.</summary>
        private TimeSpan Resolve(YamlNode node, string where, string key)
        {
            if (durations.Values.TryGetValue(key, out var value)) return value;
            if (durations.Values.Count == 0)
                throw Error(node, where, $"'${{{key}}}' names a stack config key: read the gate for a stack (`resilience gate --stack S`)");
            var near = NearestName.Find(key, durations.Values.Keys);
            throw Error(node, where, $"'${{{key}}}' is not a gate key of the stack config (Pulumi.yaml declares {string.Join(", ", durations.Values.Keys)})" +
                (near is null ? "" : $"; did you mean '{near}'?"));
        }

        private int? Count(YamlMappingNode c, YamlMappingNode defaults, string key, string at)
        {
            var node = Timed(c, defaults, key);
            if (node is null) return null;
            var text = Scalar(node, key);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw Error(node, node == Child(c, key) ? $"{at}.{key}" : $"defaults.{key}", $"'{text}': expected a whole number, 0 or more");
            return n;
        }

        private static YamlNode? Timed(YamlMappingNode c, YamlMappingNode defaults, string key) => Child(c, key) ?? Child(defaults, key);

        private string? Text(YamlMappingNode map, string key, string at)
        {
            var node = Child(map, key);
            return node is null ? null : Scalar(node, at.Length == 0 ? key : $"{at}.{key}");
        }

        private string Scalar(YamlNode node, string key) => node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw Error(node, key, "expected a single non-empty value");

        private List<string> Strings(YamlNode node, string key) => node is YamlSequenceNode seq
            ? seq.Children.Select(n => Scalar(n, key)).ToList()
            : [Scalar(node, key)];

        private YamlMappingNode Mapping(YamlNode node, string key) =>
            node as YamlMappingNode ?? throw Error(node, key, "expected a mapping");

        private void Known(YamlMappingNode map, string[] keys, string prefix)
        {
            foreach (var (keyNode, _) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (keys.Contains(key, StringComparer.Ordinal)) continue;
                var near = NearestName.Find(key, keys);
                throw Error(keyNode, prefix + key, $"unknown key{(near is null ? "" : $" (did you mean '{near}'?)")}");
            }
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        private ConfigException Error(YamlNode node, string key, string problem) => new(path, $"line {node.Start.Line}: {key}", problem);
    }
}
