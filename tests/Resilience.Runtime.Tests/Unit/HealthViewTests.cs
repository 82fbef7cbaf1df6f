using Resilience.Runtime.HealthSync;

namespace Resilience.Runtime.Tests.Unit;

public class HealthViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static AgentHealthEvent E(string machine, string agent, string status, int second) =>
        new(machine, agent, status, T0.AddSeconds(second), 1.5);

    [Fact]
    public void Keeps_the_latest_event_per_machine_and_agent()
    {
        var view = new HealthView();
        Assert.True(view.Apply(E("pc2", "a", "up", 0)));
        Assert.True(view.Apply(E("pc2", "a", "down", 5)));
        Assert.True(view.Apply(E("mainpc", "a", "up", 1)));
        Assert.Equal("down", view.Get("pc2", "a")!.Status);
        Assert.Equal("up", view.Get("mainpc", "a")!.Status);
        Assert.Equal([("mainpc", "a"), ("pc2", "a")], view.Snapshot().Select(e => (e.Machine, e.Agent)));
    }

    [Fact]
    public void An_older_or_equal_event_never_overwrites_a_newer_one()
    {
        var view = new HealthView();
        view.Apply(E("mainpc", "a", "down", 10));
        Assert.False(view.Apply(E("mainpc", "a", "up", 9)));   // a replay after a partition arrives late
        Assert.False(view.Apply(E("mainpc", "a", "up", 10)));  // a redelivery with the same time
        Assert.Equal(T0.AddSeconds(10), view.Get("mainpc", "a")!.At);
        Assert.Equal("down", view.Get("mainpc", "a")!.Status);
    }

    [Fact]
    public void Any_arrival_order_gives_the_same_view()
    {
        var events = Enumerable.Range(0, 30).Select(i => E(i % 2 == 0 ? "pc2" : "mainpc", $"agent-{i % 3}", i % 4 == 0 ? "down" : "up", i)).ToList();
        var inOrder = new HealthView();
        events.ForEach(e => inOrder.Apply(e));
        var shuffled = new HealthView();
        foreach (var e in events.OrderBy(_ => Random.Shared.Next()))
        {
            shuffled.Apply(e);
        }
        Assert.Equal(inOrder.Snapshot(), shuffled.Snapshot());
        Assert.Equal(6, inOrder.Snapshot().Count);
    }

    [Fact]
    public void The_message_id_is_stable_for_the_same_event()
    {
        Assert.Equal(E("pc2", "a", "up", 3).MsgId, E("pc2", "a", "up", 3).MsgId);
        Assert.NotEqual(E("pc2", "a", "up", 3).MsgId, E("pc2", "a", "up", 4).MsgId);
        Assert.NotEqual(E("pc2", "a", "up", 3).MsgId, E("pc2", "b", "up", 3).MsgId);
    }
}
