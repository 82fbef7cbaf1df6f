using System.Text.Json.Nodes;
using Resilience.DemoFleet.Contracts;
using Resilience.Model;
using Resilience.Runtime.Contracts;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack;
using Resilience.Stack.Components;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;

namespace Resilience.Tests.Stack;

/// <summary>
/// The runtime's and the demo fleet's side of the security material (issue 16), rendered from an in-memory
/// <see cref="SecuritySettings"/>: HTTPS listeners with every role's bcrypt hash, their material as files (keys 0600),
/// the clients' credentials only in secret files, and no password or key anywhere else in the graph.
/// </summary>
public sealed class DotnetListenerSecurityTests
{
    private static readonly Lazy<SecuritySettings> Material = new(() =>
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("resilience test pair", now);
        var certificates = new Dictionary<string, ServiceCertificate>();
        foreach (var (machine, address) in new[] { ("mainpc", "127.0.0.2"), ("pc2", "127.0.0.3") })
        {
            using var leaf = ca.Issue(LeafSpec.For(machine, CertificateUsage.ServerAndClient, address, machine), now);
            var pem = Pem.Of(leaf);
            certificates[machine] = new ServiceCertificate(pem.Certificate, pem.PrivateKey);
        }
        var hasher = new BcryptHasher(4);
        var users = SecurityRoles.All(Machines.Stacks).ToDictionary(role => role, role =>
        {
            var credential = Credential.Generate($"{role}-g1");
            return new UserCredential(credential.User, credential.Password, hasher.Hash(credential.Password));
        });
        return new SecuritySettings(ca.ToPem().Certificate, certificates, users);
    });

    private static SecuritySettings Security => Material.Value;

    private static ResourceGraph Graph(string stack, bool secure = true)
    {
        var settings = StackSettings.Read(new TypedConfig(StackConfig.Load(RepoPaths.Root, stack), _ => "unused"));
        if (secure) settings = settings with { Security = Security };
        return StackProgram.Build(settings, AgentInventory.Load(Path.Combine(RepoPaths.Root, settings.Inventory)),
            new TemplateRenderer(Path.Combine(RepoPaths.Root, "templates")), RepoPaths.Root, "sha256:" + new string('a', 64), "sha256:" + new string('b', 64));
    }

    private static Resource File(ResourceGraph g, string name) =>
        g.Resources.Single(r => r.Type == "file:file" && r.Name == name);

    private static string Content(Resource file) => Secret.Reveal(file.Inputs["content"])!;

    [Fact]
    public void The_runtime_listens_on_https_with_every_roles_hash_and_presents_the_hub_credential_from_its_secret_file()
    {
        var g = Graph("pc2");
        var file = File(g, "runtime/runtime.yaml");
        Assert.True(Secret.IsSecret(file.Inputs["content"]));
        var config = RuntimeConfigYaml.Read(Content(file), "runtime.yaml");
        Assert.Equal(new Uri("https://127.0.0.3:9095"), config.Listen);
        Assert.Equal("/etc/resilience/tls/machine.key", config.Https!.KeyFile);
        Assert.Equal(
            [(Security.User("operator").User, HttpRole.Operator, Security.User("operator").PasswordHash),
             (Security.User("hub").User, HttpRole.Hub, Security.User("hub").PasswordHash),
             (Security.User("pusher").User, HttpRole.Pusher, Security.User("pusher").PasswordHash)],
            config.Https.Users.Select(u => (u.User, u.Role, u.PasswordHash)));
        Assert.Equal((Security.User("hub").User, Security.User("hub").Password), (config.Https.Client!.User, config.Https.Client.Password));
        Assert.All(config.Tiers.Where(t => t.Name is "local-hub" or "pushgateway"), t => Assert.Equal("https", t.Url.Scheme));
        Assert.All(config.Agents, a => Assert.Equal("https", a.HealthUrl.Scheme));

        Assert.True(Secret.IsSecret(File(g, "runtime/tls/machine.key").Inputs["content"]));
        Assert.Equal(Security.Certificates["pc2"].CertificatePem, Content(File(g, "runtime/tls/machine.crt")));
        Assert.Equal(Security.CaCertificatesPem, Content(File(g, "runtime/tls/ca.crt")));
        Assert.StartsWith("https://127.0.0.3:9095/metrics/job/", g.Outputs["runtimeIngestUrl"].Value);
        var container = g.Resources.Single(r => r.Type == "docker:container" && r.Name == "runtime");
        Assert.Equal("https://127.0.0.3:9095/healthz", container.Inputs["ready"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void The_fleet_serves_https_with_every_roles_hash_and_its_files_belong_to_its_user()
    {
        var g = Graph("pc2");
        var file = File(g, "fleet/fleet.yaml");
        Assert.Equal(("0600", ListenerTls.FleetOwner), (file.Inputs["mode"]!.GetValue<string>(), file.Inputs["owner"]!.GetValue<string>()));
        var config = FleetConfigYaml.Parse(Content(file), "fleet.yaml");
        Assert.Equal("/etc/resilience/fleet/tls/machine.key", config.Https!.KeyFile);
        Assert.Equal(["operator", "hub", "pusher"], config.Https.Users.Select(u => u.Role));
        Assert.All(config.Https.Users, u => Assert.StartsWith("$2a$", u.PasswordHash, StringComparison.Ordinal));
        var key = File(g, "fleet/tls/machine.key");
        Assert.True(Secret.IsSecret(key.Inputs["content"]));
        Assert.Equal(ListenerTls.FleetOwner, key.Inputs["owner"]!.GetValue<string>());
        Assert.Equal("https://127.0.0.3:9190", g.Outputs["demoFleetControlUrl"].Value);
    }

    [Fact]
    public void Agent_files_name_https_endpoints_and_restarts_read_the_operator_and_the_ca_from_a_secret_curl_config()
    {
        var g = Graph("pc2");
        var hostDir = Path.GetDirectoryName(File(g, "fleet/fleet.yaml").Inputs["path"]!.GetValue<string>())![..^"/fleet".Length];
        var restarts = g.Resources.Where(r => r.Type == "command:agent-restart").ToList();
        Assert.NotEmpty(restarts);
        var pilot = restarts.Single(r => r.Inputs["program"]!.GetValue<string>() == "ObservabilityHub");
        Assert.Equal(["curl", "-sS", "--fail-with-body", $"-K{hostDir}/agents/restart.curlrc", "-X", "POST", "https://127.0.0.3:9190/agents/ObservabilityHub/restart"],
            pilot.Inputs["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var curlrc = File(g, "agents/restart.curlrc");
        Assert.True(Secret.IsSecret(curlrc.Inputs["content"]));
        Assert.Contains($"user = \"{Security.User("operator").User}:{Security.User("operator").Password}\"", Content(curlrc));
        Assert.Contains($"cacert = \"{hostDir}/fleet/tls/ca.crt\"", Content(curlrc));
        Assert.Contains(curlrc.Urn, pilot.DependsOn);
        Assert.Equal(Security.CaCertificatesPem, Content(File(g, "fleet/tls/ca.crt")));

        // The push credential in the agent file is the Prometheus family's branch (templates/agent.yaml.sbn); here: the
        // endpoints the fleet serves, and the push target on the runtime's https listener.
        var agentFile = File(g, pilot.Name);
        Assert.Contains("health_endpoint: \"https://127.0.0.3:", Content(agentFile));
        Assert.Contains("push_target: \"https://127.0.0.3:9095/metrics/job/ObservabilityHub\"", Content(agentFile));
    }

    [Fact]
    public void During_a_rotation_both_listeners_accept_the_next_generation_and_the_runtime_still_presents_the_current()
    {
        var hasher = new BcryptHasher(4);
        var next = Credential.Generate("hub-g2");
        var rotating = Security with
        {
            NextUsers = new Dictionary<string, UserCredential> { [SecurityRoles.Hub] = new(next.User, next.Password, hasher.Hash(next.Password)) },
        };
        var settings = StackSettings.Read(new TypedConfig(StackConfig.Load(RepoPaths.Root, "pc2"), _ => "unused")) with { Security = rotating };
        var g = StackProgram.Build(settings, AgentInventory.Load(Path.Combine(RepoPaths.Root, settings.Inventory)),
            new TemplateRenderer(Path.Combine(RepoPaths.Root, "templates")), RepoPaths.Root, "sha256:" + new string('a', 64), "sha256:" + new string('b', 64));
        var runtime = RuntimeConfigYaml.Read(Content(File(g, "runtime/runtime.yaml")), "runtime.yaml");
        Assert.Equal(["hub-g1", "hub-g2"], runtime.Https!.Users.Where(u => u.Role == HttpRole.Hub).Select(u => u.User));
        Assert.Equal("hub-g1", runtime.Https.Client!.User);
        var fleet = FleetConfigYaml.Parse(Content(File(g, "fleet/fleet.yaml")), "fleet.yaml");
        Assert.Equal(["hub-g1", "hub-g2"], fleet.Https!.Users.Where(u => u.Role == "hub").Select(u => u.User));
    }

    [Fact]
    public void No_password_or_private_key_is_anywhere_in_the_graph_but_in_secret_contents()
    {
        foreach (var stack in new[] { "mainpc", "pc2" })
        {
            var g = Graph(stack);
            var forbidden = Security.Users.Values.Select(u => u.Password)
                .Concat(Security.Certificates.Values.Select(c => c.KeyPem.Split('\n')[1]))
                .ToList();
            foreach (var resource in g.Resources)
            {
                foreach (var text in PlainStrings(resource.Inputs))
                {
                    Assert.DoesNotContain(forbidden, f => text.Contains(f, StringComparison.Ordinal));
                }
            }
            // Secret outputs (e.g. the NATS admin's URL with its password) are masked wherever they are shown.
            Assert.DoesNotContain(g.Outputs.Values.Where(o => !o.Secret), o => forbidden.Any(f => o.Value.Contains(f, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Without_the_material_nothing_of_this_appears()
    {
        var g = Graph("pc2", secure: false);
        Assert.DoesNotContain(g.Resources, r => r.Name.Contains("/tls/", StringComparison.Ordinal) || r.Name.EndsWith(".curlrc", StringComparison.Ordinal));
        Assert.StartsWith("http://", g.Outputs["runtimeIngestUrl"].Value);
        Assert.Null(RuntimeConfigYaml.Read(Content(File(g, "runtime/runtime.yaml")), "runtime.yaml").Https);
    }

    private static IEnumerable<string> PlainStrings(JsonNode? node)
    {
        switch (node)
        {
            case null:
                yield break;
            case JsonObject o when Secret.IsSecret(o):
                yield break;
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    foreach (var text in PlainStrings(value)) yield return text;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var text in PlainStrings(item)) yield return text;
                }
                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                yield return s;
                break;
        }
    }
}
