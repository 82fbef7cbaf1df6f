namespace Resilience.DemoFleet.Tests.Unit;

/// <summary>The binary on a config it refuses: one error line naming the file and key, exit 2, no stack trace, nothing started.</summary>
public sealed class BadConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Theory]
    [InlineData("address: 127.0.0.1\ncontrolPort: 9190\npushPeriod: 1s\nagents:\n  - {name: A, port: 7000}\n  - {name: B, port: abc}\n", "line 6: agents[1].port: 'abc' is not a whole number")]
    [InlineData("address: 127.0.0.1\ncontrolPort: 9190\npushPeriod: soon\nagents: []\n", "line 3: pushPeriod: 'soon' is not a duration")]
    [InlineData("address: 127.0.0.1\ncontrolPort: 9190\npushPeriod: 1s\nagent: []\n", "line 4: agent: unknown key (did you mean 'agents'?")]
    public async Task A_bad_fleet_config_exits_2_with_one_line_naming_the_file_and_key(string yaml, string problem)
    {
        var path = _dir.Write("fleet.yaml", yaml);

        var (code, stdout, stderr) = await FleetProcess.RunAsync(TimeSpan.FromSeconds(20), "--config", path);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"resilience-demo-fleet: error: {path}: {problem}", line);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_missing_config_exits_2_naming_the_path()
    {
        var path = Path.Combine(_dir.Path, "absent.yaml");

        var (code, _, stderr) = await FleetProcess.RunAsync(TimeSpan.FromSeconds(20), "--config", path);

        Assert.Equal(2, code);
        Assert.StartsWith($"resilience-demo-fleet: error: {path}: cannot read the fleet config", stderr);
    }

    [Fact]
    public async Task No_config_at_all_exits_2_saying_how_to_give_one()
    {
        var (code, _, stderr) = await FleetProcess.RunAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, code);
        Assert.Contains("pass --config PATH or set RESILIENCE_FLEET_CONFIG", stderr);
    }

    public void Dispose() => _dir.Dispose();
}
