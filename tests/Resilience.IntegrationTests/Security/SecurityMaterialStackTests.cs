namespace Resilience.IntegrationTests.Security;

/// <summary>
/// The material's life on a real stack (the witness: only a nats-server, so it deploys in seconds): with
/// securityMaterial auto the first `up` makes the pair's material, preview gives the certificates' renewal dates,
/// `stack output` shows the CA file and (only with --show-secrets) the credentials, and `rotate --what all` runs its
/// four rounds with an `up` each. Until the wiring branches merge, the listeners do not use the material yet: this
/// times the tool's own share of a rotation.
/// </summary>
public sealed class SecurityMaterialStackTests : IDisposable
{
    private const string Stack = "it-pki-witness";
    private readonly TempProject _project = new();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-pki-state-").FullName;
    private readonly Dictionary<string, string> _env;
    private readonly ITestOutputHelper _output;

    public SecurityMaterialStackTests(ITestOutputHelper output)
    {
        _output = output;
        _project.Replace("Pulumi.yaml", "    default: leafnode", "    default: three-node");
        _project.Write($"Pulumi.{Stack}.yaml", $"""
            config:
              resilience:machine: witness
              resilience:mainpcAddress: {LoopbackAddresses.For("pki-mainpc")}
              resilience:pc2Address: {LoopbackAddresses.For("pki-pc2")}
              resilience:witnessAddress: {LoopbackAddresses.For("pki-witness")}
            """ + "\n");
        _env = new Dictionary<string, string>
        {
            ["PULUMI_CONFIG_PASSPHRASE"] = "pki-integration-passphrase",
            ["RESILIENCE_BACKEND_URL"] = "file://" + _backend,
        };
    }

    private CliRunner.Result Cli(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var result = CliRunner.Run(_project.Dir, _env, args);
        _output.WriteLine($"{string.Join(' ', args)}: exit {result.ExitCode} in {clock.Elapsed.TotalSeconds:0.0}s");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public void Up_makes_the_material_output_shows_it_and_rotate_runs_every_round()
    {
        var up = Cli("up", "--stack", Stack, "--yes");
        Assert.Contains("made the TLS and credential material", up.Stderr);
        var stackFile = File.ReadAllText(_project.PathOf($"Pulumi.{Stack}.yaml"));
        Assert.Contains("resilience:tlsWitnessKey:", stackFile);
        Assert.Contains("resilience:tlsCaCertificate:", File.ReadAllText(_project.PathOf("Pulumi.mainpc.yaml")));

        var preview = Cli("preview", "--stack", Stack);
        Assert.Contains("tlsWitnessCertificate: valid until", preview.Stdout + preview.Stderr);

        var masked = Cli("stack", "output", "--stack", Stack);
        Assert.Contains("natsCredentialsUrl", masked.Stdout);
        Assert.DoesNotContain("nats-admin-g1:", masked.Stdout);
        var shown = Cli("stack", "output", "--stack", Stack, "--show-secrets", "--json");
        var outputs = JsonNode.Parse(shown.Stdout)!.AsObject();
        // NATS with the material is TLS: the URL says so (tls://), as nats-server and the NATS clients read it.
        Assert.StartsWith("tls://nats-admin-g1:", outputs["natsCredentialsUrl"]!.GetValue<string>());
        var caFile = outputs["caFile"]!.GetValue<string>();
        var caPath = Path.IsPathRooted(caFile) ? caFile : _project.PathOf(caFile);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(caPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(caPath));
        Assert.Equal(0, Tool.Run("openssl", "verify", "-CAfile", caPath, caPath).ExitCode);

        var rotate = Cli("rotate", "--stack", Stack, "--what", "all");
        _output.WriteLine(rotate.Stdout);
        Assert.Contains("[4/4] credentials round 3 of 3", rotate.Stdout);
        Assert.Contains($"rotated all across {Stack}", rotate.Stdout);
        var after = JsonNode.Parse(Cli("stack", "output", "--stack", Stack, "--show-secrets", "--json").Stdout)!.AsObject();
        Assert.StartsWith("tls://nats-admin-g2:", after["natsCredentialsUrl"]!.GetValue<string>());
    }

    public void Dispose()
    {
        CliRunner.Run(_project.Dir, _env, "destroy", "--stack", Stack, "--yes");
        foreach (var kind in new[] { "container", "volume" })
        {
            var ids = Tool.Run("docker", kind, "ls", "-q", "--filter", $"label=resilience.stack={Stack}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0) Tool.Run("docker", [kind, "rm", "-f", .. ids]);
        }
        _project.Dispose();
        try { Directory.Delete(_backend, recursive: true); } catch (IOException) { }
    }
}
