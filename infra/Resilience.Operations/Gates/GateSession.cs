using Resilience.Stack.Components;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Operations.Gates;

/// <summary>A stack's gates against its live system: where to ask (from its config), its agent sets and its baselines.</summary>
public sealed class GateSession : IDisposable
{
    /// <summary>How long one probe (a query, a /health, a message's trip) may take.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly LiveProbe _probe;
    private readonly GateResultPush _push;

    private GateSession(StackSettings settings, AgentInventory inventory, string gatesDirectory, GateContext context, LiveProbe probe)
    {
        _push = new GateResultPush(new Endpoints(settings).Pushgateway(settings.Machine), ProbeTimeout, settings.Security);
        Settings = settings;
        Inventory = inventory;
        GatesDirectory = gatesDirectory;
        Context = context;
        _probe = probe;
    }

    public StackSettings Settings { get; }
    public AgentInventory Inventory { get; }
    public string GatesDirectory { get; }
    public GateContext Context { get; }

    /// <param name="stackDirectory">The stack's folder in the backend: the baselines are kept there.</param>
    public static GateSession Open(StackConfig config, string projectDirectory, string stackDirectory)
    {
        var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config)));
        var inventory = AgentInventory.Load(Path.Combine(projectDirectory, settings.Inventory));
        var sets = new AgentSets(settings, inventory);
        var variables = new Dictionary<string, GateValue>(StringComparer.Ordinal)
        {
            ["scrapeInterval"] = GateValue.Of(Math.Max(Seconds(settings.CentralScrapeInterval), Seconds(settings.EdgeScrapeInterval))),
            ["pushPeriod"] = GateValue.Of(settings.DemoFleet.PushPeriod.TotalSeconds),
            ["migratedCount"] = GateValue.Of(sets["migrated"].Count),
            ["allCount"] = GateValue.Of(sets["all"].Count),
        };
        var context = new GateContext(config.Stack, settings.Machine, variables, set => sets[set].Select(a => a.Name).ToList(),
            new GateBaselines(Path.Combine(stackDirectory, "gate-baselines.json")));
        return new GateSession(settings, inventory, Path.Combine(projectDirectory, "gates"), context,
            new LiveProbe(GateTargets.From(settings), sets, ProbeTimeout));
    }

    /// <summary>A gate file (a path, or a name in gates/), its ${key} durations from the stack's config.</summary>
    public GateDefinition Load(string file) => GateFile.Load(Path.IsPathRooted(file) ? file : Path.Combine(GatesDirectory, file), Settings.Gates);

    public Task<GateResult> EvaluateAsync(GateDefinition gate, Observation observation, IProgress<(string Check, Measurement Measurement)>? progress, CancellationToken ct) =>
        new GateEvaluator(_probe, Context).EvaluateAsync(gate, observation, progress, ct);

    /// <summary>
    /// Pushes the verdict of the stage's gate to the machine's Pushgateway for the dashboard.
    /// Null when pushed, else a warning line (the verdict stands without it).
    /// </summary>
    public Task<string?> PushAsync(GateResult result, int week, int? batch, CancellationToken ct) =>
        _push.PushAsync(result, Settings.Machine, week, batch, ct);

    private static double Seconds(string duration) => Resilience.Platform.Duration.Parse(duration).Value.TotalSeconds;

    public void Dispose()
    {
        _probe.Dispose();
        _push.Dispose();
    }
}
