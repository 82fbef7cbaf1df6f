using System.Diagnostics;
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

    [Fact]
    public async Task A_hung_agent_does_not_hold_up_the_fleet_stopping_on_SIGTERM()
    {
        var ports = FreePorts.Take(2);
        var path = _dir.Write("fleet.yaml", FleetConfigYaml.Write(new FleetConfig("127.0.0.1", ports[0], TimeSpan.FromSeconds(1), [new FleetAgent("A", ports[1])])));
        using var process = Process.Start(new ProcessStartInfo(FleetProcess.Binary, ["--config", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await Wait.UntilAsync(async () =>
            {
                try
                {
                    return (await http.PostAsync($"http://127.0.0.1:{ports[0]}/agents/A/hang", null)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(20), "the fleet's control API");
            var hung = http.GetAsync($"http://127.0.0.1:{ports[1]}/health");
            await Task.Delay(300);
            Assert.False(hung.IsCompleted);
            var watch = Stopwatch.StartNew();

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(exited.Token);

            Assert.Equal(0, process.ExitCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), watch.Elapsed.ToString());
            Assert.Contains("agent A: hung -> stopped (fleet stopping)", await stdout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
