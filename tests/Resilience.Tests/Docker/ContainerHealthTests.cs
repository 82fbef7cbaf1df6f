using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Resilience.Contracts.Docker;
using Resilience.Engine.Providers;
using Resilience.Providers.Docker.Containers;

namespace Resilience.Tests.Docker;

public sealed class ContainerHealthTests
{
    private static readonly JsonObject Recorded = new() { ["name"] = "pc2-edgehub", ["image"] = "resilience/prometheus:2.42.0", ["networkMode"] = "host" };

    private static ContainerInspectResponse Live(string status, bool running, bool restarting = false, long restarts = 0) => new()
    {
        ID = "c1",
        Name = "/pc2-edgehub",
        Image = "sha256:1",
        RestartCount = restarts,
        State = new ContainerState { Status = status, Running = running, Restarting = restarting },
        Config = new Config { Image = "resilience/prometheus:2.42.0" },
        HostConfig = new HostConfig { NetworkMode = "host" },
    };

    private static JsonObject Read(ContainerInspectResponse live, bool? ready) =>
        LiveContainerInputs.From(live, null, "sha256:1", Recorded, ContainerHealth.Of(live, ready));

    [Fact]
    public void A_running_ready_container_reads_back_as_recorded_even_after_past_restarts()
    {
        Assert.Empty(InputDiff.ChangedKeys(Recorded, Read(Live("running", running: true, restarts: 3), ready: true)));
        Assert.Empty(InputDiff.ChangedKeys(Recorded, Read(Live("running", running: true), ready: null)));
    }

    [Fact]
    public void A_restart_loop_an_exited_container_and_one_not_ready_are_drift_under_health()
    {
        // Docker reports a container between restarts as running and restarting.
        var looping = Read(Live("restarting", running: true, restarting: true, restarts: 7), ready: false);
        Assert.Equal(["health"], InputDiff.ChangedKeys(Recorded, looping));
        Assert.Equal("""{"status":"restarting","running":false,"restarts":7,"ready":false}""", looping["health"]!.ToJsonString());

        var exited = Read(Live("exited", running: false), ready: null);
        Assert.Equal("""{"status":"exited","running":false,"restarts":0}""", exited["health"]!.ToJsonString());

        var notReady = Read(Live("running", running: true), ready: false);
        Assert.Equal("""{"status":"running","running":true,"restarts":0,"ready":false}""", notReady["health"]!.ToJsonString());
    }

    [Fact]
    public void The_config_file_a_failing_log_names_is_found_on_the_host_through_its_bind_mount()
    {
        var dir = Directory.CreateTempSubdirectory("blame-");
        try
        {
            var config = Path.Combine(dir.FullName, "prometheus.yml");
            File.WriteAllText(config, "global: [");
            ContainerMount[] mounts =
            [
                new() { Type = MountKind.Volume, Source = "edgehub-data", Target = "/prometheus" },
                new() { Type = MountKind.Bind, Source = dir.FullName, Target = "/etc/prometheus", ReadOnly = true },
            ];
            const string line = """ts=2026-12-03T15:00:00Z caller=main.go:1 level=error msg="Error loading config (--config.file=/etc/prometheus/prometheus.yml)" err="parsing YAML file /etc/prometheus/prometheus.yml: yaml: line 1" """;
            var blame = ConfigBlame.Find(mounts, $"level=info msg=\"Starting Prometheus\"\n{line}\n");
            Assert.Equal((config, line.Trim()), blame);

            // A path the log names that is not a file of a bind mount is no cause (negative controls).
            Assert.Null(ConfigBlame.Find(mounts, "err=\"open /prometheus/wal: permission denied\""));
            Assert.Null(ConfigBlame.Find(mounts, "msg=\"Error loading config (--config.file=/etc/prometheus/missing.yml)\""));
            Assert.Null(ConfigBlame.Find(mounts, "panic: out of memory"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
