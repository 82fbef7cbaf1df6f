namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// Messages counted one by one: what was acked at the origin (MsgId → origin sequence) against what a stream
/// holds. For a sourced copy each message must also carry the origin's sequence in Nats-Stream-Source.
/// </summary>
public sealed record DeliveryCount(int Expected, int Stored, IReadOnlyList<string> Missing, IReadOnlyList<string> Duplicated,
    IReadOnlyList<string> Unexpected, IReadOnlyList<string> WrongSourceSequence)
{
    public bool Exact => Stored == Expected && Missing.Count == 0 && Duplicated.Count == 0 && Unexpected.Count == 0 && WrongSourceSequence.Count == 0;

    public static DeliveryCount Of(IReadOnlyDictionary<string, ulong> acked, IReadOnlyList<StoredMessage> stored, bool sourced)
    {
        var payloads = stored.GroupBy(m => m.Payload).ToList();
        var duplicated = payloads.Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToList();
        var present = payloads.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var missing = acked.Keys.Where(id => !present.Contains(id)).ToList();
        var unexpected = payloads.Where(g => !acked.ContainsKey(g.Key)).Select(g => g.Key).ToList();
        var wrongSequence = stored
            .Where(m => acked.ContainsKey(m.Payload))
            .Where(m => m.MsgId != m.Payload || (sourced ? m.SourceSequence != acked[m.Payload] : m.SourceSequence is not null))
            .Select(m => $"{m.Payload}: msgId {m.MsgId}, source seq {m.SourceSequence?.ToString() ?? "none"}, origin seq {acked[m.Payload]}")
            .ToList();
        var sourceSequences = stored.Where(m => m.SourceSequence is not null).GroupBy(m => m.SourceSequence).Where(g => g.Count() > 1);
        wrongSequence.AddRange(sourceSequences.Select(g => $"source seq {g.Key} stored {g.Count()} times"));
        return new DeliveryCount(acked.Count, stored.Count, missing, duplicated, unexpected, wrongSequence);
    }

    public override string ToString() =>
        $"expected {Expected}, stored {Stored}, missing {Missing.Count} [{Sample(Missing)}], duplicated {Duplicated.Count} [{Sample(Duplicated)}], " +
        $"unexpected {Unexpected.Count} [{Sample(Unexpected)}], wrong source sequence {WrongSourceSequence.Count} [{Sample(WrongSourceSequence)}]";

    private static string Sample(IReadOnlyList<string> items) => string.Join(", ", items.Take(5));
}
