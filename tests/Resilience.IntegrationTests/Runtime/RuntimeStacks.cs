using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Runtime;

/// <summary>
/// The stacks it-rt-mainpc and it-rt-pc2 with the failover runtime, deployed by the CLI on their own loopback
/// addresses (<see cref="MainPcAddress"/>, <see cref="Pc2Address"/>), in a throw-away project with its own state. Secured:
/// `securityMaterial: auto` makes the pair's TLS and credential material at the first `up`, so every listener the
/// tests call is HTTPS with basic auth (<see cref="Clients"/>). Destroyed at the end; whatever destroy leaves is removed
/// anyway and reported.
/// </summary>
public sealed class RuntimeStacks : IAsyncLifetime
{
    public const string MainPc = "it-rt-mainpc";
    public const string Pc2 = "it-rt-pc2";
    public static readonly string MainPcAddress = LoopbackAddresses.For("runtime-stack-mainpc");
    public static readonly string Pc2Address = LoopbackAddresses.For("runtime-stack-pc2");

    /// <summary>Short, so the test sees a fail-back; the committed default is 30 s.</summary>
    public static readonly TimeSpan FailbackHold = TimeSpan.FromSeconds(5);

    // A cold publish of the runtime under load from the other helpers' builds can take minutes.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);
    private const string Passphrase = "runtime-integration-passphrase";
    private readonly Dictionary<string, string> _environment;

    public RuntimeStacks()
    {
        foreach (var file in Directory.GetFiles(Project.Dir, "Pulumi.*.yaml").Where(f => !f.EndsWith("Pulumi.yaml", StringComparison.Ordinal))) File.Delete(file);
        _environment = new()
        {
            ["RESILIENCE_BACKEND_URL"] = $"file://{Project.PathOf("state")}",
            ["PULUMI_CONFIG_PASSPHRASE"] = Passphrase,
        };
    }

    public TempProject Project { get; } = new();

    /// <summary>The HTTPS clients of the pair, one per role; made once the first `up` has made the material.</summary>
    public RuntimeClients Clients { get; private set; } = null!;

    /// <summary>Wall time of each stack's first `up` on an engine without any of its objects.</summary>
    public Dictionary<string, TimeSpan> ColdDeploy { get; } = [];

    public Task<CliRunner.Result> RunAsync(params string[] args) => CliRunner.RunAsync(Project.Dir, _environment, CommandTimeout, args);

    public async Task<CliRunner.Result> MustRunAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"resilience {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>The outputs the engine recorded for one resource of a stack (from its checkpoint).</summary>
    public JsonObject Outputs(string stack, string urn)
    {
        var checkpoint = JsonNode.Parse(File.ReadAllText(Project.PathOf(Path.Combine("state", stack, "checkpoint.json"))))!;
        var resource = checkpoint["resources"]!.AsArray().Single(r => r!["urn"]!.GetValue<string>() == urn)!;
        return resource["outputs"]!.AsObject();
    }

    public async Task InitializeAsync()
    {
        foreach (var stack in new[] { MainPc, Pc2 }) DockerCli.RemoveLabelled(stack);
        Write(MainPc, "mainpc");
        Write(Pc2, "pc2");
        foreach (var stack in new[] { MainPc, Pc2 })
        {
            var clock = Stopwatch.StartNew();
            await MustRunAsync("up", "--stack", stack, "--yes", "--json");
            ColdDeploy[stack] = clock.Elapsed;
        }
        Clients = new RuntimeClients(Security(Pc2));
    }

    public Task DisposeAsync()
    {
        Clients?.Dispose();
        return StackTeardown.DestroyAsync(RunAsync, Project, Pc2, MainPc);
    }

    /// <summary>`config set`: the stack file keeps the material the first `up` wrote into it.</summary>
    public Task SetFailbackHoldAsync(string stack, TimeSpan hold) =>
        MustRunAsync("config", "set", "resilience:runtimeFailbackHold", $"{(int)hold.TotalSeconds}s", "--stack", stack);

    /// <summary>The stack's TLS and credential material, read back from its stack file as the CLI reads it.</summary>
    public SecuritySettings Security(string stack)
    {
        var config = StackConfig.Load(Project.Dir, stack);
        var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, name => _environment.GetValueOrDefault(name))));
        return settings.Security ?? throw new InvalidOperationException($"{stack}: the first up made no security material");
    }

    private void Write(string stack, string machine) => Project.Write($"Pulumi.{stack}.yaml", $"""
        config:
          resilience:machine: {machine}
          resilience:agentRestartCommand: true {"{program}"}
          resilience:rolloutWeek: 1
          resilience:mainpcAddress: {MainPcAddress}
          resilience:pc2Address: {Pc2Address}
          resilience:runtimeFailbackHold: {(int)FailbackHold.TotalSeconds}s
          resilience:securityMaterial: auto

        """);
}
