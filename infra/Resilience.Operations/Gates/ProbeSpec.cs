namespace Resilience.Operations.Gates;

/// <summary>What one check measures. Names of agent sets (<see cref="AgentSets"/>) and machines are resolved when the gate runs.</summary>
public abstract record ProbeSpec
{
    /// <summary>A PromQL instant query against a hub (centralhub or edgehub); <c>$set</c> in the query becomes a regex of that agent set.</summary>
    /// <param name="Expect">An agent set whose every member must answer as a series labelled agent="NAME"; a missing one fails.</param>
    public sealed record PromQl(string Hub, string Query, string? Expect) : ProbeSpec;

    /// <summary>1 when the stream exists on the machine's nats-server (its monitor's /jsz), else 0.</summary>
    public sealed record StreamExists(string Machine, string Stream) : ProbeSpec;

    /// <summary>The number of leafnode connections the machine's nats-server has (/leafz).</summary>
    public sealed record LeafLink(string Machine) : ProbeSpec;

    /// <summary>The messages a durable consumer has not yet been delivered (num_pending in /jsz).</summary>
    public sealed record ConsumerLag(string Machine, string Stream, string Consumer) : ProbeSpec;

    /// <summary>Seconds for a message published on one machine to be stored in a stream on another (no data when it never is).</summary>
    public sealed record MessageFlow(string From, string To, string Stream, string Subject) : ProbeSpec;

    /// <summary>A field of the machine's runtime /status (e.g. activeTier), as a value.</summary>
    public sealed record RuntimeStatus(string Machine, string Field) : ProbeSpec;

    /// <summary>Per agent of the set, 1 when its /health answers 2xx, else 0 (a series per agent).</summary>
    public sealed record AgentHealth(string Agents) : ProbeSpec;

    /// <summary>What is measured, in one line for a table.</summary>
    public string Describe() => this switch
    {
        PromQl p => $"{p.Hub}: {p.Query}" + (p.Expect is null ? "" : $" (every agent of {p.Expect})"),
        StreamExists s => $"nats {s.Machine}: stream {s.Stream} exists",
        LeafLink l => $"nats {l.Machine}: leafnode connections",
        ConsumerLag c => $"nats {c.Machine}: {c.Stream}/{c.Consumer} pending",
        MessageFlow f => $"nats {f.From} -> {f.To}: {f.Subject} stored in {f.Stream} (seconds)",
        RuntimeStatus r => $"runtime {r.Machine} /status: {r.Field}",
        AgentHealth a => $"/health of every agent of {a.Agents}",
        _ => GetType().Name,
    };
}
