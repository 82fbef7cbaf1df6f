namespace Resilience.IntegrationTests.Docker;

/// <summary>Resources of the test stack, shaped exactly as the stack program produces them.</summary>
internal static class DockerTestResources
{
    public const string Stack = "itest-docker";
    public const string PrometheusImage = "itest-docker/prometheus:2.42.0";
    public const string PushgatewayImage = "itest-docker/pushgateway:1.5.1";
    public const string NatsImage = "itest-docker/nats-server:2.9.10";

    public static Resource Resource(string type, string name, JsonObject inputs) =>
        new() { Stack = Stack, Type = type, Name = name, Inputs = inputs };

    public static ResourceState StateOf(Resource resource, JsonObject outputs) => new()
    {
        Urn = resource.Urn,
        Type = resource.Type,
        Name = resource.Name,
        Inputs = resource.Inputs.DeepClone().AsObject(),
        Outputs = outputs,
    };

    public static Resource PrometheusImageResource() => Resource("docker:image", "prometheus", new JsonObject
    {
        ["name"] = PrometheusImage,
        ["source"] = "local",
        ["build"] = new JsonObject
        {
            ["files"] = new JsonArray(
                new JsonObject { ["from"] = "/usr/bin/prometheus", ["to"] = "/bin/prometheus" },
                new JsonObject
                {
                    ["from"] = "/usr/share/prometheus/web",
                    ["to"] = "/usr/share/prometheus/web",
                    // 192 MB of unpacked time zone data behind a symlink; the UI loads only the packed file.
                    ["exclude"] = new JsonArray("static/moment-timezone/data"),
                }),
            ["dirs"] = new JsonArray(new JsonObject { ["path"] = "/prometheus", ["mode"] = "1777" }),
            ["user"] = "65534:65534",
            ["entrypoint"] = new JsonArray("/bin/prometheus"),
            ["cmd"] = new JsonArray("--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"),
        },
    });

    public static Resource PushgatewayImageResource() => Resource("docker:image", "pushgateway", new JsonObject
    {
        ["name"] = PushgatewayImage,
        ["source"] = "local",
        ["build"] = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["from"] = "/usr/bin/prometheus-pushgateway", ["to"] = "/bin/pushgateway" }),
            ["dirs"] = new JsonArray(new JsonObject { ["path"] = "/data", ["mode"] = "1777" }),
            ["user"] = "65534:65534",
            ["entrypoint"] = new JsonArray("/bin/pushgateway"),
        },
    });

    public static Resource NatsImageResource() => Resource("docker:image", "nats-server", new JsonObject
    {
        ["name"] = NatsImage,
        ["source"] = "local",
        ["build"] = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["from"] = "/usr/sbin/nats-server", ["to"] = "/bin/nats-server" }),
            ["dirs"] = new JsonArray(
                new JsonObject { ["path"] = "/data", ["mode"] = "1777" },
                new JsonObject { ["path"] = "/etc/nats", ["mode"] = "755" }),
            ["entrypoint"] = new JsonArray("/bin/nats-server"),
            ["cmd"] = new JsonArray("-c", "/etc/nats/nats.conf"),
        },
    });

    public static Resource Volume(string name) => Resource("docker:volume", name, new JsonObject { ["name"] = name });

    /// <summary>A host directory the container's user (nobody) can read, holding one config file.</summary>
    public static string ConfigDirectory(string fileName, string content)
    {
        var dir = Directory.CreateTempSubdirectory("itest-docker-");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_101_101);
        WriteConfig(dir.FullName, fileName, content);
        return dir.FullName;
    }

    public static void WriteConfig(string dir, string fileName, string content)
    {
        var path = Path.Combine(dir, fileName);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
    }

    public static string HashOf(string content) => Secret.Fingerprint(content);
}
