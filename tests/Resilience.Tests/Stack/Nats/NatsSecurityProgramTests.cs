using System.Text.Json.Nodes;
using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Operations;
using Resilience.Providers.Files;
using Resilience.Runtime.Config;
using Resilience.Security.Passwords;
using Resilience.Stack;
using Resilience.Stack.Components;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;

namespace Resilience.Tests.Stack.Nats;

/// <summary>
/// The stacks' NATS with <see cref="StackSettings.Security"/> set (material made in memory): TLS on the client port,
/// the leafnode listener and remote and the cluster routes, the role users' bcrypt hashes, and every NATS client of
/// the graph presenting its role and the pair's CA — with no password or key outside a secret input.
/// </summary>
public class NatsSecurityProgramTests
{
    private static readonly SecuritySettings Material = NatsSecurityMaterial.Create();

    private static ResourceGraph Graph(string stack, SecuritySettings? security = null, string? projectDir = null, Func<StackSettings, StackSettings>? tweak = null)
    {
        var dir = projectDir ?? RepoPaths.Root;
        var config = StackConfig.Load(dir, stack);
        var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config))) with { Security = security ?? Material };
        if (tweak is not null) settings = tweak(settings);
        return StackProgram.Build(settings, AgentInventory.Load(Path.Combine(dir, settings.Inventory)), new TemplateRenderer(Path.Combine(dir, "templates")), dir,
            runtimeSources: "sha256:" + new string('0', 64), fleetSources: "sha256:" + new string('1', 64));
    }

    private static Resource Find(ResourceGraph g, string type, string name) =>
        g.Find(Urns.For(g.Stack, type, name)) ?? throw new InvalidOperationException($"{g.Stack} has no {type} {name}");

    private static Resource File(ResourceGraph g, string path) => Find(g, "file:file", path);

    private static string Content(Resource file) => Secret.Reveal(file.Inputs["content"])!;

    private static string Mode(Resource file) => file.Inputs["mode"]!.GetValue<string>();

    private static bool IsSecret(Resource file) => Secret.IsSecret(file.Inputs["content"]);

    private static UserCredential User(string role) => Material.User(role);

    [Fact]
    public void Mainpc_serves_TLS_on_its_client_port_and_leafnode_listener_and_accepts_only_its_role_users()
    {
        var g = Graph("mainpc");
        var conf = File(g, "nats/nats.conf");
        Assert.True(IsSecret(conf));
        Assert.Equal("0600", Mode(conf));
        var config = Content(conf);

        Assert.Contains("\ntls {\n  cert_file: \"/etc/nats/server.pem\"\n  key_file: \"/etc/nats/server-key.pem\"\n  ca_file: \"/etc/nats/ca.pem\"\n  verify: false\n", config);
        var leafnodes = config[config.IndexOf("leafnodes {", StringComparison.Ordinal)..];
        Assert.Contains("  tls {\n    cert_file: \"/etc/nats/server.pem\"", leafnodes);
        Assert.Contains("    verify: true\n", leafnodes);

        string[] accepted = [SecurityRoles.NatsAdmin, SecurityRoles.NatsAgent("mainpc"), SecurityRoles.NatsRuntime("mainpc"), SecurityRoles.NatsLeaf];
        foreach (var role in accepted)
        {
            Assert.Contains($"{{ user: \"{User(role).User}\", password: \"{User(role).PasswordHash}\"", config);
        }
        foreach (var role in new[] { SecurityRoles.NatsAgent("pc2"), SecurityRoles.NatsRuntime("pc2"), SecurityRoles.Operator, SecurityRoles.Hub })
        {
            Assert.DoesNotContain(User(role).User, config);
        }
        foreach (var user in Material.Users.Values) Assert.DoesNotContain(user.Password, config);
        Assert.DoesNotContain("user: \"resilience\"", config);

        // The agent publishes only its machine's subjects; the leaf link carries sourcing and the runtimes' domain probes.
        Assert.Contains("publish: { allow: [\"observability.metrics.mainpc\", \"observability.health.mainpc\"", config);
        Assert.Contains("\"$JS.mainpc.API.INFO\"", config);
        Assert.Contains("\"$JS.pc2.API.INFO\"", config);
    }

    [Fact]
    public void Pc2s_leaf_remote_is_TLS_with_the_link_user_and_its_certificate_and_the_file_is_a_secret()
    {
        var g = Graph("pc2");
        var conf = File(g, "nats/nats.conf");
        Assert.Equal("0600", Mode(conf));
        var config = Content(conf);
        var leaf = User(SecurityRoles.NatsLeaf);
        Assert.Contains($"url: \"tls://{leaf.User}:{leaf.Password}@127.0.0.2:7422\"\n      tls {{\n        cert_file: \"/etc/nats/server.pem\"", config);
        Assert.Contains("        verify: true\n", config);
        Assert.Contains("deny_exports: [\"observability.>\"]", config);
        Assert.Contains($"user: \"{User(SecurityRoles.NatsRuntime("pc2")).User}\"", config);
        // PC2 accepts no leaf: the link user is MainPC's to check.
        Assert.DoesNotContain($"user: \"{leaf.User}\"", config);
        Assert.DoesNotContain(User(SecurityRoles.NatsAgent("mainpc")).User, config);
    }

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void The_key_is_a_0600_secret_the_certificates_are_public_and_the_server_waits_for_all_three(string stack)
    {
        var g = Graph(stack);
        var key = File(g, "nats/server-key.pem");
        Assert.True(IsSecret(key));
        Assert.Equal("0600", Mode(key));
        Assert.Equal(Material.Certificates[stack].KeyPem, Content(key));
        var certificate = File(g, "nats/server.pem");
        Assert.False(IsSecret(certificate));
        Assert.Equal("0644", Mode(certificate));
        Assert.Equal(Material.Certificates[stack].CertificatePem, Content(certificate));
        Assert.Equal(Material.CaCertificatesPem, Content(File(g, "nats/ca.pem")));
        var container = Find(g, "docker:container", "nats");
        foreach (var file in new[] { "nats/ca.pem", "nats/server.pem", "nats/server-key.pem", "nats/nats.conf" })
            Assert.Contains(Urns.For(stack, "file:file", file), container.DependsOn);
    }

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void The_rendered_config_passes_nats_server_t(string stack)
    {
        var conf = File(Graph(stack), "nats/nats.conf");
        Assert.Null(ContentValidator.Refusal(FileValidators.NatsConfig, conf.Inputs["path"]!.GetValue<string>(), Content(conf)));
        // Negative control: the stand-in certificates do not make the check accept anything.
        var broken = Content(conf).Replace("verify: false", "verify: maybe", StringComparison.Ordinal);
        Assert.NotNull(ContentValidator.Refusal(FileValidators.NatsConfig, conf.Inputs["path"]!.GetValue<string>(), broken));
    }

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void Streams_and_consumers_are_made_over_TLS_as_the_operators_user(string stack)
    {
        var g = Graph(stack);
        var objects = g.OfType("jetstream:stream").Concat(g.OfType("jetstream:consumer")).ToList();
        Assert.NotEmpty(objects);
        var admin = User(SecurityRoles.NatsAdmin);
        Assert.All(objects, o =>
        {
            Assert.Equal(admin.User, o.Inputs["user"]!.GetValue<string>());
            Assert.True(Secret.IsSecret(o.Inputs["password"]));
            Assert.Equal(admin.Password, Secret.Reveal(o.Inputs["password"]));
            Assert.Equal(Material.CaCertificatesPem, o.Inputs["caCertificate"]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void The_runtime_connects_as_its_machines_runtime_user_and_trusts_the_pairs_CA(string stack)
    {
        var g = Graph(stack);
        var file = File(g, "runtime/runtime.yaml");
        Assert.True(IsSecret(file));
        Assert.Equal("0600", Mode(file));
        var runtime = RuntimeConfigLoader.Parse(Content(file), $"{stack}/runtime.yaml");
        var user = User(SecurityRoles.NatsRuntime(stack));
        Assert.Equal((user.User, user.Password), (runtime.Nats!.Credentials!.User, runtime.Nats.Credentials.Password));
        Assert.Equal(NatsSecurity.RuntimeCaFile, runtime.Nats.CaFile);
        var ca = File(g, "runtime/nats-ca.pem");
        Assert.Equal(Material.CaCertificatesPem, Content(ca));
        Assert.Contains(ca.Urn, Find(g, "docker:container", "runtime").DependsOn);
    }

    [Fact]
    public void The_cluster_routes_are_mutual_TLS_without_passwords()
    {
        using var p = new TempProject();
        p.Replace("Pulumi.yaml", "    default: leafnode", "    default: three-node");
        var config = Content(File(Graph("mainpc", projectDir: p.Dir), "nats/nats.conf"));
        var cluster = config[config.IndexOf("cluster {", StringComparison.Ordinal)..];
        Assert.Contains("  tls {\n    cert_file: \"/etc/nats/server.pem\"", cluster);
        Assert.Contains("    verify: true\n", cluster);
        Assert.Contains("\"nats-route://127.0.0.3:6222\"", cluster);
        Assert.Contains("\"nats-route://127.0.0.4:6222\"", cluster);
        Assert.DoesNotContain("authorization", cluster);
        Assert.Null(ContentValidator.Refusal(FileValidators.NatsConfig, "nats.conf", config));
    }

    [Fact]
    public void With_natsPassword_also_set_the_roles_win_every_preview_warns_and_the_password_is_nowhere()
    {
        const string natsPassword = "old-shared-Nats-password-4471";
        var g = Graph("pc2", tweak: s => s with { NatsPassword = natsPassword });
        Assert.Contains(g.Warnings, w => w.Contains("resilience:natsPassword is ignored", StringComparison.Ordinal));
        Assert.DoesNotContain(natsPassword, GraphText(g, revealSecrets: true));
        var admin = User(SecurityRoles.NatsAdmin);
        Assert.Equal($"tls://{admin.User}:{admin.Password}@127.0.0.3:4223", g.Outputs["natsCredentialsUrl"].Value);
        Assert.True(g.Outputs["natsCredentialsUrl"].Secret);
    }

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void No_password_or_key_is_in_any_plain_input_output_or_label(string stack)
    {
        var g = Graph(stack);
        var plain = GraphText(g, revealSecrets: false) + string.Join("\n", g.Outputs.Where(o => !o.Value.Secret).Select(o => o.Value.Value));
        foreach (var user in Material.Users.Values)
        {
            Assert.DoesNotContain(user.Password, plain);
            Assert.DoesNotContain(Uri.EscapeDataString(user.Password), plain);
        }
        foreach (var certificate in Material.Certificates.Values) Assert.DoesNotContain(KeyBody(certificate.KeyPem), plain);
    }

    [Fact]
    public void A_new_password_or_certificate_restarts_the_server_and_a_same_render_does_not()
    {
        string Hash(SecuritySettings security) => Find(Graph("pc2", security), "docker:container", "nats").Inputs["configHash"]!.GetValue<string>();
        var leaf = Material.User(SecurityRoles.NatsLeaf);
        var newLeafPassword = Credential.RandomPassword();
        var rotated = Material with
        {
            Users = new Dictionary<string, UserCredential>(Material.Users)
            {
                [SecurityRoles.NatsLeaf] = new(leaf.User, newLeafPassword, new BcryptHasher(4).Hash(newLeafPassword)),
            },
        };
        var renewed = NatsSecurityMaterial.Create();
        Assert.Equal(Hash(Material), Hash(Material));
        Assert.NotEqual(Hash(Material), Hash(rotated));
        Assert.NotEqual(Hash(Material), Hash(renewed));
    }

    [Fact]
    public void The_operators_probes_log_in_as_the_admin_over_TLS()
    {
        var config = StackConfig.Load(RepoPaths.Root, "pc2");
        var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config)));
        Assert.Equal(NatsLogin.Anonymous, NatsLogin.From(settings));
        var login = NatsLogin.From(settings with { Security = Material, NatsPassword = "ignored" });
        var admin = User(SecurityRoles.NatsAdmin);
        Assert.Equal(new NatsLogin(admin.User, admin.Password, Material.CaCertificatesPem), login);
        var opts = login.Apply(new NATS.Client.Core.NatsOpts());
        Assert.Equal(NATS.Client.Core.TlsMode.Require, opts.TlsOpts.Mode);
        Assert.Equal(admin.Password, opts.AuthOpts.Password);
        Assert.DoesNotContain(admin.Password, login.ToString());
    }

    private static string KeyBody(string pem) => string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));

    /// <summary>Every resource's inputs as JSON: secret values masked unless <paramref name="revealSecrets"/>.</summary>
    private static string GraphText(ResourceGraph g, bool revealSecrets) => string.Join("\n", g.Resources.Select(r =>
        revealSecrets ? Reveal(r.Inputs)!.ToJsonString() : Secret.Masked(r.Inputs)!.ToJsonString()));

    private static JsonNode? Reveal(JsonNode? node) => node switch
    {
        JsonObject o when Secret.IsSecret(o) => JsonValue.Create(Secret.Reveal(o)),
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Reveal(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Reveal).ToArray()),
        _ => node?.DeepClone(),
    };
}
