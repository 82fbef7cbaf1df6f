using System.Net;
using System.Net.Sockets;
using Resilience.DemoFleet.Contracts;

namespace Resilience.DemoFleet.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class FleetProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task A_port_already_in_use_exits_2_naming_the_address()
    {
        var ports = FreePorts.Take(2);
        using var squatter = new TcpListener(IPAddress.Loopback, ports[1]);
        squatter.Start();
        var path = _dir.Write("fleet.yaml", FleetConfigYaml.Write(new FleetConfig("127.0.0.1", ports[0], TimeSpan.FromSeconds(1), [new FleetAgent("A", ports[1])])));

        var (code, _, stderr) = await FleetProcess.RunAsync(TimeSpan.FromSeconds(20), "--config", path);

        Assert.Equal(2, code);
        Assert.Contains($"{path}: cannot listen:", stderr);
        Assert.Contains($"127.0.0.1:{ports[1]}", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_good_config_keeps_the_binary_running_so_the_exits_above_mean_something()
    {
        var ports = FreePorts.Take(2);
        var path = _dir.Write("fleet.yaml", FleetConfigYaml.Write(new FleetConfig("127.0.0.1", ports[0], TimeSpan.FromSeconds(1), [new FleetAgent("A", ports[1])])));

        await Assert.ThrowsAsync<TimeoutException>(() => FleetProcess.RunAsync(TimeSpan.FromSeconds(3), "--config", path));
    }

    public void Dispose() => _dir.Dispose();
}
