using Resilience.Engine.Providers;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Resilience.Providers.Docker;
using Resilience.Providers.Docker.Containers;
using Secret = Resilience.Model.Secret;

namespace Resilience.Tests.Docker;

public sealed class LiveContainerInputsTests
{
    private const string ImageId = "sha256:1111";

    private static JsonObject Recorded() => new()
    {
        ["name"] = "pc2-pushgateway",
        ["image"] = "resilience/pushgateway:1.5.1",
        ["networkMode"] = "pc2-net",
        ["command"] = new JsonArray("--web.listen-address=:9091"),
        ["env"] = new JsonObject { ["TOKEN"] = Secret.Wrap("hunter2"), ["MODE"] = "edge" },
        ["ports"] = new JsonArray(
            new JsonObject { ["host"] = 9091, ["container"] = 9091, ["hostIp"] = "127.0.0.3" },
            new JsonObject { ["host"] = 9092, ["container"] = 9092 }),
        ["mounts"] = new JsonArray(
            new JsonObject { ["type"] = "bind", ["source"] = "/srv/cfg", ["target"] = "/etc/pgw", ["readOnly"] = true },
            new JsonObject { ["type"] = "volume", ["source"] = "pgw-data", ["target"] = "/data" }),
        ["restart"] = "unless-stopped",
        ["ready"] = new JsonObject { ["url"] = "http://127.0.0.3:9091/-/ready" },
        ["configHash"] = "sha256:cfg",
    };

    private static readonly Config ImageConfig = new()
    {
        Env = ["PATH=/bin"],
        Cmd = ["--default"],
        User = "65534:65534",
        Labels = new Dictionary<string, string> { [ObjectLabels.Urn] = "image-urn", ["maintainer"] = "debian" },
    };

    private static ContainerInspectResponse Live(bool running = true) => new()
    {
        ID = "c1",
        Name = "/pc2-pushgateway",
        Image = ImageId,
        State = new ContainerState { Running = running },
        Config = new Config
        {
            Image = "resilience/pushgateway:1.5.1",
            Cmd = ["--web.listen-address=:9091"],
            Env = ["MODE=edge", "TOKEN=hunter2", "PATH=/bin"],
            User = "65534:65534",
            Labels = new Dictionary<string, string> { [ObjectLabels.Urn] = "urn", [ObjectLabels.Stack] = "pc2", ["maintainer"] = "debian" },
        },
        HostConfig = new HostConfig
        {
            NetworkMode = "pc2-net",
            PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                ["9092/tcp"] = [new PortBinding { HostIP = "", HostPort = "9092" }],
                ["9091/tcp"] = [new PortBinding { HostIP = "127.0.0.3", HostPort = "9091" }],
            },
            Mounts =
            [
                new Mount { Type = "volume", Source = "pgw-data", Target = "/data" },
                new Mount { Type = "bind", Source = "/srv/cfg", Target = "/etc/pgw", ReadOnly = true },
            ],
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
        },
    };

    [Fact]
    public void An_unchanged_container_reads_back_exactly_as_recorded_with_its_secret_still_wrapped()
    {
        var recorded = Recorded();
        var live = LiveContainerInputs.From(Live(), ImageConfig, ImageId, recorded);
        Assert.Empty(InputDiff.ChangedKeys(recorded, live));
        Assert.True(Secret.IsSecret(live["env"]!["TOKEN"]));
    }

    [Fact]
    public void Changes_made_behind_the_tools_back_show_as_drift()
    {
        var changed = Live(running: false);
        changed.Config.Env = ["MODE=edge", "TOKEN=stolen", "PATH=/bin", "DEBUG=1"];
        changed.HostConfig.RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No };

        var live = LiveContainerInputs.From(changed, ImageConfig, "sha256:2222", Recorded());

        Assert.Equal(["env", "health", "image", "restart"], InputDiff.ChangedKeys(Recorded(), live));
        Assert.False(live["health"]!["running"]!.GetValue<bool>());
        Assert.Equal($"resilience/pushgateway:1.5.1@{ImageId}", live["image"]!.GetValue<string>());
        Assert.Equal(Secret.Wrap("stolen").ToJsonString(), live["env"]!["TOKEN"]!.ToJsonString()); // changed, still never bare
        Assert.Equal("1", live["env"]!["DEBUG"]!.GetValue<string>());
        Assert.Null(live["env"]!["PATH"]); // the image's own default is not drift
    }

    [Fact]
    public void Keys_the_record_omits_stay_omitted_when_docker_shows_only_defaults()
    {
        var recorded = new JsonObject { ["name"] = "pc2-pushgateway", ["image"] = "resilience/pushgateway:1.5.1", ["networkMode"] = "host" };
        var live = Live();
        live.Config.Cmd = ["--default"];
        live.Config.Env = ["PATH=/bin"];
        live.Config.Labels.Remove("maintainer");
        live.HostConfig.NetworkMode = "host";
        live.HostConfig.PortBindings = null;
        live.HostConfig.Mounts = null;
        live.HostConfig.RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No };

        Assert.Empty(InputDiff.ChangedKeys(recorded, LiveContainerInputs.From(live, ImageConfig, ImageId, recorded)));
    }
}
