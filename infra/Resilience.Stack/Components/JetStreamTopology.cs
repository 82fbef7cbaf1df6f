using System.Text.Json.Nodes;
using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// The seeds' three streams and their durable consumers, per machine domain. Each machine publishes into its own
/// R1 streams; MainPC's streams also source PC2's across the domains, and PC2 sources MainPC's alerts back into a
/// subject-less stream. One direction per stream pair, so nothing loops.
/// </summary>
public static class JetStreamTopology
{
    public sealed record StreamDef(string Name, string Subjects, Func<StackSettings, string> MaxAge);

    public static readonly StreamDef[] Streams =
    [
        new("observability-metrics", "observability.metrics.*", s => s.MetricsMaxAge),
        new("observability-health", "observability.health.*", s => s.HealthMaxAge),
        new("observability-alerts", "observability.alerts.*", s => s.AlertsMaxAge),
    ];

    /// <summary>A stream or consumer replaced under the same name must go first: the server refuses a second one.</summary>
    private static readonly ResourceOptions DataOptions = new() { DeleteBeforeReplace = true };

    public const string CentralAlertsOnEdge = "observability-alerts-central";

    public static void Declare(StackBuilder b, Resource nats)
    {
        var s = b.Settings;
        var server = new Endpoints(s).Nats(s.Machine);
        JsonObject WithAuth(JsonObject inputs)
        {
            if (s.NatsPassword is null) return inputs;
            inputs["user"] = s.NatsUser;
            inputs["password"] = Secret.Wrap(s.NatsPassword);
            return inputs;
        }
        var streams = new Dictionary<string, Resource>();
        foreach (var def in Streams)
        {
            var inputs = Stream(server, def.Name, [def.Subjects], def.MaxAge(s));
            if (s.IsCentral) inputs["sources"] = new JsonArray(Source(def.Name, Machines.Pc2));
            streams[def.Name] = b.Add("jetstream:stream", def.Name, WithAuth(inputs), [nats], DataOptions);
        }
        if (!s.IsCentral)
        {
            var back = Stream(server, CentralAlertsOnEdge, [], s.AlertsMaxAge);
            back["sources"] = new JsonArray(Source("observability-alerts", Machines.MainPc));
            b.Add("jetstream:stream", CentralAlertsOnEdge, WithAuth(back), [nats], DataOptions);
        }

        var metricsConsumer = s.IsCentral ? "observability-metrics-centralhub" : "observability-metrics-edgehub";
        b.Add("jetstream:consumer", metricsConsumer,
            WithAuth(Consumer(server, "observability-metrics", metricsConsumer, "observability.metrics.*")), [streams["observability-metrics"]], DataOptions);
        b.Add("jetstream:consumer", "observability-health-monitor",
            WithAuth(Consumer(server, "observability-health", "observability-health-monitor", "observability.health.*")), [streams["observability-health"]], DataOptions);
    }

    private static JsonObject Stream(string server, string name, string[] subjects, string maxAge) => new()
    {
        ["server"] = server,
        ["name"] = name,
        ["subjects"] = new JsonArray(subjects.Select(x => (JsonNode)x).ToArray()),
        ["storage"] = "file",
        ["retention"] = "limits",
        ["maxAge"] = maxAge,
        ["replicas"] = 1,
        ["discard"] = "old",
        ["duplicateWindow"] = "2m",
    };

    private static JsonObject Source(string stream, string domain) => new() { ["name"] = stream, ["domain"] = domain };

    private static JsonObject Consumer(string server, string stream, string name, string filter) => new()
    {
        ["server"] = server,
        ["stream"] = stream,
        ["name"] = name,
        ["filterSubject"] = filter,
        ["ackPolicy"] = "explicit",
        ["deliverPolicy"] = "all",
        ["ackWait"] = "30s",
        ["maxDeliver"] = -1,
    };
}
