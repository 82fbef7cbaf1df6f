namespace Resilience.IntegrationTests.Engine;

/// <summary>
/// `stack output` names the host-reachable URLs the tests (and operators) use, read from the version last applied:
/// a stack file changed without `up` does not change them.
/// </summary>
[Collection(EngineStacksCollection.Name)]
public sealed class StackOutputTests(EngineStacks stacks)
{
    [Fact]
    public async Task Stack_outputs_name_the_addresses_the_stacks_listen_on()
    {
        await stacks.ResetAsync();

        var mainpc = CliJson.Object(await stacks.MustRunAsync("stack", "output", "--stack", EngineStacks.MainPc, "--json"));
        var pc2 = CliJson.Object(await stacks.MustRunAsync("stack", "output", "--stack", EngineStacks.Pc2, "--json"));

        Assert.Equal(TestMachines.CentralHub, new Uri((string)mainpc["centralHubUrl"]!));
        Assert.Equal(TestMachines.MainPcNats, (string?)mainpc["natsUrl"]);
        Assert.Equal(TestMachines.EdgeHub, new Uri((string)pc2["edgeHubUrl"]!));
        Assert.Equal(TestMachines.Pc2Pushgateway, new Uri((string)pc2["pushgatewayUrl"]!));
        Assert.Equal(TestMachines.Pc2Nats, (string?)pc2["natsUrl"]);
    }

    [Fact]
    public async Task A_port_changed_in_the_stack_file_without_up_leaves_the_outputs_on_the_port_that_answers()
    {
        await stacks.ResetAsync(EngineStacks.Pc2);
        const string changedPort = "  resilience:edgeHubPort: 9200\n";
        stacks.Project.Append(EngineStacks.StackFile(EngineStacks.Pc2), changedPort);
        try
        {
            var pc2 = CliJson.Object(await stacks.MustRunAsync("stack", "output", "--stack", EngineStacks.Pc2, "--json"));

            var edgeHub = new Uri((string)pc2["edgeHubUrl"]!);
            Assert.Equal(TestMachines.EdgeHub, edgeHub);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var ready = await http.GetAsync(new Uri(edgeHub, "/-/ready"));
            Assert.True(ready.IsSuccessStatusCode, $"EdgeHub at the output's address answered {ready.StatusCode}");
        }
        finally
        {
            stacks.Project.Replace(EngineStacks.StackFile(EngineStacks.Pc2), changedPort, "");
        }
    }
}
