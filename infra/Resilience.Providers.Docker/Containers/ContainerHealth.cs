namespace Resilience.Providers.Docker.Containers;

/// <summary>
/// How a container fares now: running (and not between restarts), how often Docker restarted it, and whether its ready
/// URL answers (null when it declares none). Part of the live read: an unhealthy container is drift, under the key
/// <see cref="Key"/>, which no desired input ever sets.
/// </summary>
public sealed record ContainerHealth(string Status, bool Running, long Restarts, bool? Ready)
{
    public const string Key = "health";

    /// <summary>What a refresh recorded of a stopped container before health was read (still repaired, never replaced).</summary>
    public const string LegacyRunningKey = "running";

    public static IReadOnlyList<string> Keys { get; } = [Key, LegacyRunningKey];

    /// <param name="ready">Whether the ready URL answered 200; null when the container declares none.</param>
    public static ContainerHealth Of(ContainerInspectResponse live, bool? ready)
    {
        var state = live.State ?? new ContainerState();
        var running = state.Running && !state.Restarting;
        return new ContainerHealth(state.Status ?? (running ? "running" : "exited"), running, live.RestartCount, running ? ready : ready is null ? null : false);
    }

    /// <summary>Restarts alone, with the container up and ready now, are its past, not drift.</summary>
    public bool Healthy => Running && Ready != false;

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["status"] = Status, ["running"] = Running, ["restarts"] = Restarts };
        if (Ready is { } ready) json["ready"] = ready;
        return json;
    }

    public override string ToString() =>
        $"{Status}, {Restarts} restart{(Restarts == 1 ? "" : "s")}{Ready switch { true => ", ready", false => ", not ready", null => "" }}";
}
