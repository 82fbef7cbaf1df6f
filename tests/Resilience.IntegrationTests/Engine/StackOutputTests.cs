namespace Resilience.IntegrationTests.Engine;

/// <summary>`stack output` names the host-reachable URLs the tests (and operators) use. Reads config only: no reset.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class StackOutputTests(EngineStacks stacks)
{
    [Fact]
    public async Task Stack_outputs_name_the_addresses_the_stacks_listen_on()
    {
        var mainpc = CliJson.Object(await stacks.MustRunAsync("stack", "output", "--stack", EngineStacks.MainPc, "--json"));
        var pc2 = CliJson.Object(await stacks.MustRunAsync("stack", "output", "--stack", EngineStacks.Pc2, "--json"));

        Assert.Equal(TestMachines.CentralHub, new Uri((string)mainpc["centralHubUrl"]!));
        Assert.Equal(TestMachines.MainPcNats, (string?)mainpc["natsUrl"]);
        Assert.Equal(TestMachines.EdgeHub, new Uri((string)pc2["edgeHubUrl"]!));
        Assert.Equal(TestMachines.Pc2Pushgateway, new Uri((string)pc2["pushgatewayUrl"]!));
        Assert.Equal(TestMachines.Pc2Nats, (string?)pc2["natsUrl"]);
    }
}
