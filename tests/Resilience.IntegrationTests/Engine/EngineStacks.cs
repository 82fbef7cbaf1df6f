namespace Resilience.IntegrationTests.Engine;

/// <summary>
/// The two test stacks, it-mainpc and it-pc2, in a throw-away copy of the project with a state backend of their own,
/// deployed side by side once for the collection. Every test starts from <see cref="ResetAsync"/>: the committed
/// stack files and both stacks converged.
/// </summary>
public sealed class EngineStacks : IAsyncLifetime
{
    public const string MainPc = "it-mainpc";
    public const string Pc2 = "it-pc2";
    public static readonly string[] Both = [MainPc, Pc2];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);
    private readonly Dictionary<string, string> _environment;

    public EngineStacks()
    {
        foreach (var file in Directory.GetFiles(Project.Dir, "Pulumi.*.yaml")) File.Delete(file);
        BackendDir = Project.PathOf("state");
        _environment = new() { ["RESILIENCE_BACKEND_URL"] = $"file://{BackendDir}" };
    }

    public TempProject Project { get; } = new TempProject().KeepListenersOpen();
    public string BackendDir { get; }

    /// <summary>Wall time of the first `up` of both stacks on an engine without any of their objects.</summary>
    public TimeSpan ColdDeploy { get; private set; }

    public static string StackFile(string stack) => $"Pulumi.{stack}.yaml";

    public string CheckpointPath(string stack) => Path.Combine(BackendDir, stack, "checkpoint.json");

    /// <summary>A file the stack rendered on the host (hostRoot var/ in the project).</summary>
    public string Rendered(string stack, string relative) => Project.PathOf(Path.Combine("var", stack, relative));

    public Task<CliRunner.Result> RunAsync(params string[] args) => CliRunner.RunAsync(Project.Dir, _environment, CommandTimeout, args);

    public Process Start(params string[] args) => CliRunner.Start(Project.Dir, _environment, args);

    /// <summary>Runs the CLI and fails the test, showing its output, unless it exits 0.</summary>
    public async Task<CliRunner.Result> MustRunAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"resilience {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>
    /// The committed stack files back, and the given stacks (default: both) converged with the real world, refreshed
    /// first. A test names only the stacks it changes or relies on, which keeps the collection fast.
    /// </summary>
    public async Task ResetAsync(params string[] stacks)
    {
        WriteStackFiles();
        foreach (var stack in stacks.Length > 0 ? stacks : Both) await MustRunAsync("up", "--stack", stack, "--refresh", "--yes", "--json");
    }

    public async Task InitializeAsync()
    {
        foreach (var stack in Both) DockerCli.RemoveLabelled(stack);
        WriteStackFiles();
        var clock = Stopwatch.StartNew();
        foreach (var stack in Both) await MustRunAsync("up", "--stack", stack, "--yes", "--json");
        ColdDeploy = clock.Elapsed;
    }

    /// <summary>Destroys both stacks; anything destroy left behind is removed anyway, then reported.</summary>
    public Task DisposeAsync() => StackTeardown.DestroyAsync(RunAsync, Project, Pc2, MainPc);

    private void WriteStackFiles()
    {
        Project.Write(StackFile(MainPc), $"""
            config:
              resilience:machine: mainpc
              resilience:agentRestartCommand: true {"{program}"}
              resilience:rolloutWeek: 1
              resilience:mainpcAddress: {TestMachines.MainPcAddress}
              resilience:pc2Address: {TestMachines.Pc2Address}

            """);
        Project.Write(StackFile(Pc2), $"""
            config:
              resilience:machine: pc2
              resilience:agentRestartCommand: true {"{program}"}
              resilience:rolloutWeek: 1
              resilience:migrationBatches: 3
              resilience:mainpcAddress: {TestMachines.MainPcAddress}
              resilience:pc2Address: {TestMachines.Pc2Address}

            """);
    }
}

/// <summary>
/// The engine tests share the two stacks and run one after another, beside other collections (their stacks have names
/// and addresses of their own); the one that kills the machine's Docker engine is in <see cref="DockerEngineCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EngineStacksCollection : ICollectionFixture<EngineStacks>
{
    public const string Name = "engine stacks";
}

/// <summary>
/// Tests that kill the machine's Docker engine (every container on it dies): alone, never beside another collection.
/// Their own <see cref="EngineStacks"/>, brought up after the parallel collections (so after the engine collection's
/// stacks of the same names are destroyed).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerEngineCollection : ICollectionFixture<EngineStacks>
{
    public const string Name = "docker engine killed";
}
