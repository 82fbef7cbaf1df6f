namespace Resilience.Runtime.Partition;

/// <summary>Published on the failover subject when a partition starts (<c>state: start</c>) and ends.</summary>
public sealed record PartitionEvent(
    string Kind,
    string Machine,
    string Peer,
    string State,
    DateTimeOffset Since,
    DateTimeOffset At,
    double? GapSeconds)
{
    public string MsgId => $"{Machine}-partition-{State}-{Since.ToUnixTimeMilliseconds()}";
}
