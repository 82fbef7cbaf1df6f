using Resilience.DemoFleet.Contracts;

namespace Resilience.DemoFleet.Tests.Unit;

public sealed class FleetConfigYamlTests
{
    private static readonly FleetConfig Sample = new("127.0.0.3", 9190, TimeSpan.FromSeconds(5),
    [
        new FleetAgent("ObservabilityHub", 7152, "/etc/resilience/agents/observability_hub.yaml"),
        new FleetAgent("Pc2Agent04", 7204, null, "/healthz", "/prom"),
    ]);

    [Fact]
    public void What_the_stacks_write_the_fleet_reads_back_unchanged()
    {
        var yaml = FleetConfigYaml.Write(Sample);
        var read = FleetConfigYaml.Parse(yaml, "fleet.yaml");

        Assert.Equal(Sample with { Agents = [] }, read with { Agents = [] });
        Assert.Equal(Sample.Agents, read.Agents);
    }

    [Fact]
    public void Paths_default_to_health_and_metrics_and_an_agent_file_is_optional()
    {
        var config = FleetConfigYaml.Parse("address: 127.0.0.2\ncontrolPort: 9190\npushPeriod: 500ms\nagents:\n  - {name: A, port: 7000}\n", "f.yaml");

        Assert.Equal(new FleetAgent("A", 7000, null, "/health", "/metrics"), config.Agents[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.PushPeriod);
    }

    [Theory]
    [InlineData("agents:\n  - {name: A, port: abc}", "fleet.yaml: line 5: agents[0].port: 'abc' is not a whole number")]
    [InlineData("agents:\n  - {name: A, port: 7000}\n  - {name: B, port: 7000}", "fleet.yaml: line 6: agents[1].port: 7000 is already used by agents[0] (A)")]
    [InlineData("agents:\n  - {name: A, port: 9190}", "fleet.yaml: line 5: agents[0].port: 9190 is already used by controlPort")]
    [InlineData("agents:\n  - {name: A, port: 7000}\n  - {name: A, port: 7001}", "fleet.yaml: line 6: agents[1].name: 'A' is also agents[0]")]
    [InlineData("agents:\n  - {name: 'A B', port: 7000}", "fleet.yaml: line 5: agents[0].name: 'A B' may contain only")]
    [InlineData("agents:\n  - {name: A, prot: 7000}", "fleet.yaml: line 5: agents[0].prot: unknown key (did you mean 'port'?")]
    [InlineData("agents:\n  - {port: 7000}", "fleet.yaml: line 5: agents[0].name: is required")]
    [InlineData("agents:\n  - {name: A, port: 7000, healthPath: health}", "fleet.yaml: line 5: agents[0].healthPath: 'health' is not a URL path")]
    [InlineData("agents: {name: A}", "fleet.yaml: line 4: agents: is not a list of agents")]
    public void A_mistake_in_an_agent_names_the_file_line_and_key(string agents, string expected)
    {
        var yaml = "address: 127.0.0.3\ncontrolPort: 9190\npushPeriod: 5s\n" + agents + "\n";

        var e = Assert.Throws<FleetConfigException>(() => FleetConfigYaml.Parse(yaml, "fleet.yaml"));

        Assert.StartsWith(expected, e.Message);
    }

    [Theory]
    [InlineData("address: 127.0.0.300\ncontrolPort: 9190\npushPeriod: 5s\nagents: []\n", "fleet.yaml: line 1: address: '127.0.0.300' is not an IP address")]
    [InlineData("address: 127.0.0.3\ncontrolPort: 70000\npushPeriod: 5s\nagents: []\n", "fleet.yaml: line 2: controlPort: 70000 is not a port")]
    [InlineData("address: 127.0.0.3\ncontrolPort: 9190\npushPeriod: 5 seconds\nagents: []\n", "fleet.yaml: line 3: pushPeriod: '5 seconds' is not a duration")]
    [InlineData("address: 127.0.0.3\ncontrolPort: 9190\npushPeriod: 10ms\nagents: []\n", "fleet.yaml: line 3: pushPeriod: 10ms is below the minimum of 100ms")]
    [InlineData("address: 127.0.0.3\ncontrolport: 9190\npushPeriod: 5s\nagents: []\n", "fleet.yaml: line 2: controlport: unknown key (did you mean 'controlPort'?")]
    [InlineData("address: 127.0.0.3\npushPeriod: 5s\nagents: []\n", "fleet.yaml: line 1: controlPort: is required")]
    [InlineData("address: [127.0.0.3\n", "fleet.yaml: line 2:")]
    [InlineData("", "fleet.yaml: the file is empty or not a mapping")]
    public void A_mistake_at_the_top_names_the_file_line_and_key(string yaml, string expected)
    {
        var e = Assert.Throws<FleetConfigException>(() => FleetConfigYaml.Parse(yaml, "fleet.yaml"));

        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void The_stacks_cannot_write_a_config_the_fleet_would_refuse()
    {
        var clash = Sample with { Agents = [.. Sample.Agents, new FleetAgent("Other", 7152)] };

        var e = Assert.Throws<FleetConfigException>(() => FleetConfigYaml.Write(clash));

        Assert.Contains("agents[2].port: 7152 is already used by agents[0] (ObservabilityHub)", e.Message);
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(5000, "5s")]
    [InlineData(120_000, "2m")]
    [InlineData(1500, "1500ms")]
    public void Durations_are_written_in_the_largest_exact_unit_and_read_back(int ms, string text)
    {
        Assert.Equal(text, FleetDuration.Format(TimeSpan.FromMilliseconds(ms)));
        Assert.True(FleetDuration.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), back);
    }
}
