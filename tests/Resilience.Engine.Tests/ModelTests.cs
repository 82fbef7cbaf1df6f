namespace Resilience.Tests;

public class ModelTests
{
    [Fact]
    public void Graph_orders_dependencies_first_and_rejects_cycles()
    {
        var a = new Resource { Stack = "s", Type = "docker:image", Name = "a", Inputs = new JsonObject() };
        var b = new Resource { Stack = "s", Type = "docker:container", Name = "b", Inputs = new JsonObject(), DependsOn = [a.Urn] };
        var graph = new ResourceGraph("s", [b, a]);
        Assert.Equal([a.Urn, b.Urn], graph.Order.Select(r => r.Urn));

        var c1 = new Resource { Stack = "s", Type = "t:x", Name = "c1", Inputs = new JsonObject(), DependsOn = [Urns.For("s", "t:x", "c2")] };
        var c2 = new Resource { Stack = "s", Type = "t:x", Name = "c2", Inputs = new JsonObject(), DependsOn = [c1.Urn] };
        Assert.Throws<InvalidOperationException>(() => new ResourceGraph("s", [c1, c2]));
    }

    [Fact]
    public void Masked_hides_every_secret()
    {
        var inputs = new JsonObject { ["user"] = "leaf", ["password"] = Secret.Wrap("hunter2"), ["list"] = new JsonArray(Secret.Wrap("x")) };
        var text = Secret.Masked(inputs)!.ToJsonString();
        Assert.DoesNotContain("hunter2", text);
        Assert.Contains(Secret.Mask, text);
        Assert.True(Secret.Contains(inputs));
    }
}
