namespace Resilience.Runtime.HealthSync;

/// <summary>
/// The merged health view of both machines: the latest event per machine and agent, by the event's own time.
/// An older event (a late redelivery, a replay after a partition) never overwrites a newer one, so both
/// machines converge on the same view whatever order the events arrive in.
/// </summary>
public sealed class HealthView
{
    private readonly Dictionary<(string Machine, string Agent), AgentHealthEvent> _latest = [];
    private readonly Lock _gate = new();

    /// <summary>Applies <paramref name="e"/>; false when the view already holds an event as new or newer.</summary>
    public bool Apply(AgentHealthEvent e)
    {
        lock (_gate)
        {
            var key = (e.Machine, e.Agent);
            if (_latest.TryGetValue(key, out var held) && held.At >= e.At)
            {
                return false;
            }
            _latest[key] = e;
            return true;
        }
    }

    public AgentHealthEvent? Get(string machine, string agent)
    {
        lock (_gate)
        {
            return _latest.GetValueOrDefault((machine, agent));
        }
    }

    /// <summary>Every entry, ordered by machine then agent.</summary>
    public IReadOnlyList<AgentHealthEvent> Snapshot()
    {
        lock (_gate)
        {
            return _latest.Values
                .OrderBy(e => e.Machine, StringComparer.Ordinal)
                .ThenBy(e => e.Agent, StringComparer.Ordinal)
                .ToList();
        }
    }
}
