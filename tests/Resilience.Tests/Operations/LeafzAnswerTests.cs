using System.Text.Json;
using Resilience.Operations.Status;
using static Resilience.Tests.Operations.MonitorAnswerFixtures;

namespace Resilience.Tests.Operations;

public sealed class LeafzAnswerTests
{
    [Fact]
    public void A_linked_hub_lists_the_edge_connection_with_its_round_trip()
    {
        var leaf = LeafzAnswer.Parse(Read("leafz-hub-linked"));

        Assert.True(leaf.Up);
        Assert.Equal(["127.0.0.1:51602 rtt 279µs"], leaf.Peers);
        Assert.Null(leaf.Error);
    }

    [Fact]
    public void A_linked_edge_lists_the_hubs_leafnode_port()
    {
        var leaf = LeafzAnswer.Parse(Read("leafz-edge-linked"));

        Assert.True(leaf.Up);
        Assert.Equal(["127.0.0.90:14430 rtt 324µs"], leaf.Peers);
    }

    [Fact]
    public void A_hub_whose_edge_stopped_answers_null_leafs_and_the_link_is_down()
    {
        var leaf = LeafzAnswer.Parse(Read("leafz-hub-edge-stopped"));

        Assert.False(leaf.Up);
        Assert.Empty(leaf.Peers);
    }

    [Fact]
    public void An_answer_that_is_not_json_is_a_json_error_for_the_monitor_to_report()
    {
        Assert.ThrowsAny<JsonException>(() => LeafzAnswer.Parse(""));
    }
}
