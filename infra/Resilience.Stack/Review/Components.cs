namespace Resilience.Stack.Review;

/// <summary>Which component of the stacks a resource belongs to, by the names the components give their resources.</summary>
public static class Components
{
    public const string CentralHub = "CentralHub";
    public const string EdgeHub = "EdgeHub";
    public const string Pushgateway = "Pushgateway";
    public const string Alertmanager = "Alertmanager";
    public const string Nats = "NATS";
    public const string Streams = "streams";
    public const string Consumers = "consumers";
    public const string Runtime = "runtime";
    public const string AgentFiles = "agent files";
    public const string AgentRestarts = "agent restarts";
    public const string DemoFleet = "demo fleet";
    public const string Images = "images";
    public const string Network = "network";
    public const string AgentCa = "agents' CA";

    /// <summary>The order a review lists them in: the hubs first, the agent files after what they point at.</summary>
    public static readonly string[] Order = [CentralHub, EdgeHub, Pushgateway, Alertmanager, Nats, Streams, Consumers, Runtime, AgentCa, AgentFiles, AgentRestarts, DemoFleet, Images, Network];

    private static readonly Dictionary<string, string> ByPrefix = new(StringComparer.Ordinal)
    {
        ["centralhub"] = CentralHub,
        ["edgehub"] = EdgeHub,
        ["pushgateway"] = Pushgateway,
        ["alertmanager"] = Alertmanager,
        ["nats"] = Nats,
        ["runtime"] = Runtime,
        ["agents"] = AgentFiles,
        ["fleet"] = DemoFleet,
        ["demo"] = DemoFleet,
        ["tls"] = AgentCa,
    };

    public static string Of(string type, string name) => type switch
    {
        "jetstream:stream" => Streams,
        "jetstream:consumer" => Consumers,
        "command:agent-restart" => AgentRestarts,
        "docker:image" or "dotnet:publish" => Images,
        "docker:network" => Network,
        // the restart command's credentials live beside the agent files but belong to the restarts
        "file:file" when name == global::Resilience.Stack.Components.AgentRestart.CurlConfigFile => AgentRestarts,
        // files are named by folder ("edgehub/prometheus.yml"), containers and volumes by component ("edgehub", "edgehub-data")
        _ => ByPrefix.GetValueOrDefault(name.Split('/', '-')[0], name),
    };
}
