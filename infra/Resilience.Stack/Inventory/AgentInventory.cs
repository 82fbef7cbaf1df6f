using Resilience.Stack.Config;
using YamlDotNet.RepresentationModel;

namespace Resilience.Stack.Inventory;

/// <summary>The agents of both machines, read from the operator's inventory file and checked.</summary>
public sealed class AgentInventory(string file, IReadOnlyList<Agent> agents)
{
    private static readonly string[] Fields = ["name", "machine", "port", "healthPath", "metricsPath", "critical", "wave"];
    private static readonly Dictionary<string, Wave> Waves = new()
    {
        ["pilot"] = Wave.Pilot,
        ["1"] = Wave.Batch1,
        ["2"] = Wave.Batch2,
        ["3"] = Wave.Batch3,
        ["week3"] = Wave.Week3,
    };

    public string File { get; } = file;
    public IReadOnlyList<Agent> Agents { get; } = agents;

    public IEnumerable<Agent> On(string machine) => Agents.Where(a => a.Machine == machine);

    public static AgentInventory Load(string path)
    {
        var root = YamlLoad(path);
        if (root.Child("agents") is not YamlSequenceNode list)
            throw new ConfigException(path, "agents", "missing: the inventory is a list under `agents:`");
        var agents = new List<Agent>();
        var seen = new Dictionary<string, Agent>(StringComparer.Ordinal);
        foreach (var node in list.Children)
        {
            var agent = ReadAgent(path, node);
            if (seen.TryGetValue(agent.Name, out var first))
            {
                var problem = first.Wave != agent.Wave
                    ? $"agent {agent.Name} is in two waves ({WaveName(first.Wave)} at line {first.Line} and {WaveName(agent.Wave)})"
                    : $"agent {agent.Name} is listed twice (first at line {first.Line})";
                throw new ConfigException(path, $"line {agent.Line}", problem);
            }
            seen[agent.Name] = agent;
            agents.Add(agent);
        }
        return new AgentInventory(path, agents);
    }

    public static string WaveName(Wave wave) => Waves.First(p => p.Value == wave).Key;

    private static YamlMappingNode YamlLoad(string path) =>
        YamlNodes.LoadMapping(path) ?? throw new ConfigException(path, "file", "is empty");

    private static Agent ReadAgent(string path, YamlNode node)
    {
        var line = node.Line();
        if (node is not YamlMappingNode map) throw new ConfigException(path, $"line {line}", "each agent is a map (name, machine, port, ...)");
        foreach (var key in map.Children.Keys.Cast<YamlScalarNode>())
        {
            if (Array.IndexOf(Fields, key.Value) < 0)
            {
                var near = NearestName.Find(key.Value ?? "", Fields);
                throw new ConfigException(path, $"line {key.Line()}: {key.Value}", $"unknown agent field{(near is null ? "" : $"; did you mean '{near}'?")}");
            }
        }
        string Get(string key, string? fallback = null) =>
            (map.Child(key) as YamlScalarNode)?.Value ?? fallback
            ?? throw new ConfigException(path, $"line {line}", $"agent is missing `{key}`");

        var name = Get("name");
        var machine = Get("machine");
        if (Array.IndexOf(Machines.All, machine) < 0)
            throw new ConfigException(path, $"line {line}: {name}.machine", $"unknown machine '{machine}' (known: {string.Join(", ", Machines.All)})");
        var portText = Get("port");
        if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
            throw new ConfigException(path, $"line {line}: {name}.port", $"'{portText}' is not a port (1-65535)");
        var waveText = Get("wave");
        if (!Waves.TryGetValue(waveText, out var wave))
            throw new ConfigException(path, $"line {line}: {name}.wave", $"'{waveText}' is not one of {string.Join(", ", Waves.Keys)}");
        var onPc2 = machine == Machines.Pc2;
        if (onPc2 == (wave == Wave.Week3))
            throw new ConfigException(path, $"line {line}: {name}.wave", onPc2
                ? "PC2 agents migrate as pilot, 1, 2 or 3"
                : "MainPC agents migrate in week3");
        var criticalText = Get("critical", "false");
        if (criticalText is not ("true" or "false"))
            throw new ConfigException(path, $"line {line}: {name}.critical", $"expected true or false, got '{criticalText}'");
        return new Agent(name, machine, port, Get("healthPath", "/health"), Get("metricsPath", "/metrics"), criticalText == "true", wave, line);
    }
}
