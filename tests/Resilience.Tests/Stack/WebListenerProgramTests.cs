using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Docker;
using Resilience.Model;
using Resilience.Security.Passwords;
using Resilience.Stack;
using Resilience.Stack.Components;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;
using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Stack;

/// <summary>
/// The Prometheus family with the pair's security material (issue 16): every hub, Pushgateway and Alertmanager serves
/// TLS with basic auth through its web config, and every client of them (scrapes, federation, remote write, alerting,
/// the tool's ready and reload calls, agents' pushes) uses https, the pair's CA and a role's credential. Without the
/// material nothing of it appears.
/// </summary>
public class WebListenerProgramTests
{
    private static readonly SecuritySettings Security = InMemorySecurity.Committed;
    private static readonly string SourceHash = "sha256:" + new string('0', 64);

    private static ResourceGraph Graph(string stack, bool secured, int? week = null, bool demoFleet = true, SecuritySettings? security = null)
    {
        var dir = RepoPaths.Root;
        var settings = StackSettings.Read(new TypedConfig(StackConfig.Load(dir, stack), _ => "p@ss:w/rd"));
        settings = settings with
        {
            Week = week ?? settings.Week,
            Security = secured ? security ?? Security : null,
            DemoFleet = settings.DemoFleet with { Enabled = demoFleet },
        };
        var inventory = AgentInventory.Load(Path.Combine(dir, settings.Inventory));
        return StackProgram.Build(settings, inventory, new TemplateRenderer(Path.Combine(dir, "templates")), dir, SourceHash, SourceHash);
    }

    private static Resource Find(ResourceGraph g, string type, string name) =>
        g.Find(Urns.For(g.Stack, type, name)) ?? throw new InvalidOperationException($"{g.Stack} has no {type} {name}");

    private static Resource File(ResourceGraph g, string name) => Find(g, "file:file", name);

    private static string Content(ResourceGraph g, string name) => Secret.Reveal(File(g, name).Inputs["content"])!;

    private static ContainerInputs Container(ResourceGraph g, string name)
    {
        var read = ContractJson.Read<ContainerInputs>(Find(g, "docker:container", name).Inputs);
        Assert.True(read.Ok, string.Join("; ", read.Failures));
        return read.Value;
    }

    private static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string UserOf(string role) => Security.User(role).User;

    public static TheoryData<string, string, string, string, string[]> Listeners => new()
    {
        // stack, container, its folder, its address:port, the roles let in
        { "mainpc", "centralhub", "/etc/prometheus", "127.0.0.2:9000", [SecurityRoles.Operator, SecurityRoles.Hub] },
        { "pc2", "edgehub", "/etc/prometheus", "127.0.0.3:9100", [SecurityRoles.Operator, SecurityRoles.Hub] },
        { "mainpc", "pushgateway", "/etc/pushgateway", "127.0.0.2:9091", [SecurityRoles.Operator, SecurityRoles.Hub, SecurityRoles.Pusher] },
        { "pc2", "pushgateway", "/etc/pushgateway", "127.0.0.3:9091", [SecurityRoles.Operator, SecurityRoles.Hub, SecurityRoles.Pusher] },
        { "mainpc", "alertmanager", "/etc/alertmanager", "127.0.0.2:9093", [SecurityRoles.Operator, SecurityRoles.Hub] },
        { "pc2", "alertmanager", "/etc/alertmanager", "127.0.0.3:9093", [SecurityRoles.Operator, SecurityRoles.Hub] },
    };

    [Theory]
    [MemberData(nameof(Listeners))]
    public void Each_listener_serves_tls_with_its_roles_and_the_tool_calls_it_as_the_operator(
        string stack, string component, string folder, string address, string[] roles)
    {
        var g = Graph(stack, secured: true);
        var container = Container(g, component);
        Assert.Contains($"--web.config.file={folder}/web.yml", container.Command!);
        Assert.Contains(container.Mounts!, m => m.Target == folder && m.Source.EndsWith($"/{stack}/{component}", StringComparison.Ordinal));

        var web = Yaml(Content(g, $"{component}/web.yml"));
        var tls = (YamlMappingNode)web["tls_server_config"];
        Assert.Equal($"{folder}/tls/server.pem", tls["cert_file"].ToString());
        Assert.Equal($"{folder}/tls/server-key.pem", tls["key_file"].ToString());
        var users = ((YamlMappingNode)web["basic_auth_users"]).Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString());
        Assert.Equal(roles.Select(UserOf).Order(), users.Keys.Order());
        foreach (var role in roles) Assert.True(BcryptHasher.Verify(Security.User(role).Password, users[UserOf(role)]));
        Assert.Equal(Security.Certificates[stack].CertificatePem, Content(g, $"{component}/tls/server.pem"));
        Assert.Equal(Security.CaCertificatesPem, Content(g, $"{component}/tls/ca.pem"));

        // The tool's own calls: https on the machine's address, as the operator, the password a secret, the CA a host file.
        var calls = new List<(string Url, HttpProbeAuth? Auth)> { (container.Ready!.Url, container.Ready.Auth) };
        // The Pushgateway reads no config file: it has no reload.
        if (component != "pushgateway") calls.Add((container.Reload!.Url!, container.Reload.Auth));
        else Assert.Null(container.Reload);
        foreach (var (url, auth) in calls)
        {
            Assert.StartsWith($"https://{address}/", url);
            Assert.NotNull(auth);
            Assert.Equal(UserOf(SecurityRoles.Operator), auth.User);
            Assert.True(auth.Password.IsSecret);
            Assert.Equal(Security.User(SecurityRoles.Operator).Password, auth.Password.Value);
            Assert.Equal(File(g, $"{component}/tls/ca.pem").Inputs["path"]!.GetValue<string>(), auth.CaFile);
        }
        Assert.DoesNotContain(Security.User(SecurityRoles.Operator).Password, string.Join(' ', container.Command!));
    }

    [Theory]
    [InlineData("mainpc", "centralhub", "65534:65534")]
    [InlineData("pc2", "edgehub", "65534:65534")]
    [InlineData("pc2", "pushgateway", "65534:65534")]
    [InlineData("pc2", "alertmanager", "0:0")]
    public void Keys_web_configs_and_passwords_are_0600_secrets_owned_by_the_container_user(string stack, string component, string containerUser)
    {
        var g = Graph(stack, secured: true);
        Assert.Equal(containerUser, Container(g, component).User);
        var secretFiles = new List<string> { $"{component}/tls/server-key.pem", $"{component}/web.yml" };
        if (component.EndsWith("hub", StringComparison.Ordinal)) secretFiles.Add($"{component}/{WebListener.PasswordFileOf(UserOf(SecurityRoles.Hub))}");
        foreach (var name in secretFiles)
        {
            var inputs = File(g, name).Inputs;
            Assert.True(Secret.IsSecret(inputs["content"]), name);
            Assert.Equal("0600", inputs["mode"]!.GetValue<string>());
            // nobody reads its files as their owner; root (Alertmanager) reads them whoever owns them.
            if (containerUser == "0:0") Assert.Null(inputs["owner"]);
            else Assert.Equal(containerUser, inputs["owner"]!.GetValue<string>());
        }
        foreach (var name in new[] { $"{component}/tls/server.pem", $"{component}/tls/ca.pem" })
            Assert.Equal("0644", File(g, name).Inputs["mode"]!.GetValue<string>());
    }

    private static StackSettings Settings(string stack) => StackSettings.Read(new TypedConfig(StackConfig.Load(RepoPaths.Root, stack), _ => "x"));

    [Theory]
    [InlineData("mainpc", "centralhub", "prometheus-central.yml.sbn")]
    [InlineData("pc2", "edgehub", "prometheus-edge.yml.sbn")]
    public void Every_scrape_remote_write_and_alerting_client_of_a_hub_uses_https_the_ca_and_the_hub_password_file(string stack, string hub, string _)
    {
        var g = Graph(stack, secured: true);
        var text = Content(g, $"{hub}/prometheus.yml");
        Assert.False(Secret.IsSecret(File(g, $"{hub}/prometheus.yml").Inputs["content"]), "prometheus.yml holds no password: password_file");
        foreach (var password in Security.Users.Values.Select(u => u.Password)) Assert.DoesNotContain(password, text);
        Assert.Equal(Security.User(SecurityRoles.Hub).Password, Content(g, $"{hub}/{WebListener.PasswordFileOf(UserOf(SecurityRoles.Hub))}"));

        var config = Yaml(text);
        var jobs = ((YamlSequenceNode)config["scrape_configs"]).Cast<YamlMappingNode>().ToList();
        Assert.True(jobs.Count >= 9);
        foreach (var job in jobs) AssertClient(job, $"{hub} job {job["job_name"]}");
        var alertmanagers = ((YamlSequenceNode)((YamlMappingNode)config["alerting"])["alertmanagers"]).Cast<YamlMappingNode>().ToList();
        Assert.Equal(2, alertmanagers.Count);
        foreach (var am in alertmanagers) AssertClient(am, $"{hub} alertmanagers");
        if (stack == "pc2")
        {
            var write = (YamlMappingNode)((YamlSequenceNode)config["remote_write"])[0];
            Assert.StartsWith("https://127.0.0.2:9000/", write["url"].ToString());
            AssertClient(write, "remote_write", scheme: false);
        }
    }

    [Theory]
    [InlineData("mainpc", "centralhub")]
    [InlineData("pc2", "edgehub")]
    public void A_switched_hub_user_gets_a_password_file_of_its_own_so_the_running_config_keeps_reading_the_old_one(string stack, string hub)
    {
        // Round 2 of a rotation: clients present generation 2, listeners still accept generation 1.
        var old = Security.User(SecurityRoles.Hub);
        var next = new UserCredential("hub-g2", Credential.RandomPassword(), old.PasswordHash);
        var switched = Security with
        {
            Users = Security.Users.ToDictionary(u => u.Key, u => u.Key == SecurityRoles.Hub ? next : u.Value),
            RetiringUsers = new Dictionary<string, UserCredential> { [SecurityRoles.Hub] = old },
        };
        var before = Graph(stack, secured: true);
        var after = Graph(stack, secured: true, security: switched);

        var oldFile = $"{hub}/{WebListener.PasswordFileOf(old.User)}";
        var newFile = $"{hub}/{WebListener.PasswordFileOf(next.User)}";
        Assert.NotEqual(oldFile, newFile);
        Assert.Equal(old.Password, Content(before, oldFile));
        // The old file is not rewritten with the new password (Prometheus would send it with the old user until its
        // reload): it keeps the old one while the old user is accepted, and leaves the graph with it (the last round).
        Assert.Equal(old.Password, Content(after, oldFile));
        var done = Graph(stack, secured: true, security: switched with { RetiringUsers = new Dictionary<string, UserCredential>() });
        Assert.Null(done.Find(Urns.For(done.Stack, "file:file", oldFile)));
        Assert.Equal(next.Password, Content(after, newFile));
        var container = Find(after, "docker:container", hub);
        Assert.Contains(File(after, newFile).Urn, container.DependsOn);
        Assert.Contains(File(before, oldFile).Urn, Find(before, "docker:container", hub).DependsOn);
        var auth = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)Yaml(Content(after, $"{hub}/prometheus.yml"))["scrape_configs"])[0])["basic_auth"];
        Assert.Equal(next.User, auth["username"].ToString());
        Assert.Equal($"/etc/prometheus/{WebListener.PasswordFileOf(next.User)}", auth["password_file"].ToString());
    }

    /// <summary>
    /// EdgeHub's remote write through a rotation: the switch round adds the new user's entry beside the old one's and
    /// changes neither; the last round removes the old one and leaves the new one as it was. Prometheus restarts an
    /// entry whose config changed, and its new queue drops what the old one had not sent.
    /// </summary>
    [Fact]
    public void A_rotation_never_changes_a_remote_write_entry_it_adds_the_new_users_and_then_drops_the_old_ones()
    {
        var old = Security.User(SecurityRoles.Hub);
        var next = new UserCredential("hub-g2", Credential.RandomPassword(), old.PasswordHash);
        var users = Security.Users.ToDictionary(u => u.Key, u => u.Key == SecurityRoles.Hub ? next : u.Value);
        var switching = Security with { Users = users, RetiringUsers = new Dictionary<string, UserCredential> { [SecurityRoles.Hub] = old } };
        var switched = Security with { Users = users };

        // Each entry as rendered, text and all: any change to it is a restart of its queue.
        List<string> Entries(SecuritySettings? security)
        {
            var text = Content(Graph("pc2", secured: true, security: security), "edgehub/prometheus.yml");
            return [.. text[text.IndexOf("remote_write:", StringComparison.Ordinal)..text.IndexOf("scrape_configs:", StringComparison.Ordinal)].Split("\n  - url:").Skip(1).Select(e => e.TrimEnd())];
        }

        var before = Entries(null);
        var during = Entries(switching);
        var after = Entries(switched);

        Assert.Single(before);
        Assert.Contains($"name: centralhub-{old.User}\n", before[0]);
        Assert.Equal(2, during.Count);
        Assert.Contains(before[0], during);
        Assert.Single(after);
        Assert.Contains($"name: centralhub-{next.User}\n", after[0]);
        Assert.Contains(after[0], during);
    }

    private static void AssertClient(YamlMappingNode client, string what, bool scheme = true)
    {
        if (scheme) Assert.True(client.Children.TryGetValue("scheme", out var s) && s.ToString() == "https", $"{what}: scheme https");
        var tls = (YamlMappingNode)client["tls_config"];
        Assert.Equal("/etc/prometheus/tls/ca.pem", tls["ca_file"].ToString());
        var auth = (YamlMappingNode)client["basic_auth"];
        Assert.Equal(UserOf(SecurityRoles.Hub), auth["username"].ToString());
        Assert.Equal($"/etc/prometheus/secrets/{UserOf(SecurityRoles.Hub)}.password", auth["password_file"].ToString());
        Assert.False(auth.Children.ContainsKey("password"), what);
    }

    [Fact]
    public void A_production_machines_own_agents_are_scraped_as_they_are_the_demo_fleets_over_tls()
    {
        static YamlMappingNode Agents(ResourceGraph g) => ((YamlSequenceNode)Yaml(Content(g, "centralhub/prometheus.yml"))["scrape_configs"])
            .Cast<YamlMappingNode>().Single(j => j["job_name"].ToString() == "agents");
        Assert.Equal("https", Agents(Graph("mainpc", secured: true))["scheme"].ToString());
        Assert.False(Agents(Graph("mainpc", secured: true, demoFleet: false)).Children.ContainsKey("scheme"));
    }

    [Fact]
    public void Phase1_agent_files_push_to_the_pushgateway_over_https_as_the_pusher_in_0600_files()
    {
        var g = Graph("pc2", secured: true, week: 0);
        var agent = File(g, "agents/observability_hub.yaml");
        Assert.True(Secret.IsSecret(agent.Inputs["content"]));
        Assert.Equal("0600", agent.Inputs["mode"]!.GetValue<string>());
        Assert.Equal("65534:65534", agent.Inputs["owner"]!.GetValue<string>()); // the demo fleet runs as nobody
        var yaml = Yaml(Content(g, "agents/observability_hub.yaml"));
        Assert.StartsWith("https://127.0.0.2:9091/metrics/job/", yaml["push_target"].ToString());
        var auth = (YamlMappingNode)yaml["push_auth"];
        Assert.Equal(UserOf(SecurityRoles.Pusher), auth["user"].ToString());
        Assert.Equal(Security.User(SecurityRoles.Pusher).Password, auth["password"].ToString());
        var ca = auth["ca_file"].ToString();
        Assert.Equal(File(g, "tls/ca.pem").Inputs["path"]!.GetValue<string>(), ca);
        Assert.Equal(Security.CaCertificatesPem, Content(g, "tls/ca.pem"));
    }

    [Fact]
    public void An_agent_file_never_carries_the_password_beside_a_plain_http_push_target()
    {
        // The runtime's ingest is served by the runtime (Kestrel); while its URL is http the file names no credential.
        var g = Graph("pc2", secured: true, week: 1);
        var text = Content(g, "agents/observability_hub.yaml");
        var target = Yaml(text)["push_target"].ToString();
        if (target.StartsWith("https://", StringComparison.Ordinal))
        {
            Assert.Contains("push_auth:", text);
            Assert.True(Secret.IsSecret(File(g, "agents/observability_hub.yaml").Inputs["content"]));
        }
        else
        {
            Assert.DoesNotContain("push_auth", text);
            Assert.DoesNotContain(Security.User(SecurityRoles.Pusher).Password, text);
        }
        Assert.Contains("pushgateway: \"https://127.0.0.3:9091\"", text);
    }

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void Without_material_no_listener_file_credential_or_https_appears(string stack)
    {
        foreach (var week in new[] { 0, 1, 3 })
        {
            var g = Graph(stack, secured: false, week: week);
            Assert.DoesNotContain(g.Resources, r => r.Name.EndsWith("web.yml", StringComparison.Ordinal) || r.Name.Contains("tls/", StringComparison.Ordinal)
                || r.Name.Contains("secrets/", StringComparison.Ordinal));
            foreach (var container in g.OfType("docker:container"))
            {
                Assert.Null(container.Inputs["ready"]?["auth"]);
                Assert.Null(container.Inputs["reload"]?["auth"]);
                Assert.DoesNotContain(container.Inputs["command"]?.AsArray().Select(a => a!.GetValue<string>()) ?? [], a => a.StartsWith("--web.config.file", StringComparison.Ordinal));
            }
            foreach (var file in g.OfType("file:file"))
            {
                Assert.DoesNotContain("https://", Secret.Reveal(file.Inputs["content"])!);
                Assert.Null(file.Inputs["owner"]);
            }
        }
    }

    [Fact]
    public void A_retiring_user_is_let_in_beside_the_current_one_during_a_rotation()
    {
        var retiring = new UserCredential("hub-g0", "old", new BcryptHasher(4).Hash("old"));
        var dir = RepoPaths.Root;
        var settings = Settings("pc2") with { Security = Security with { RetiringUsers = new Dictionary<string, UserCredential> { [SecurityRoles.Hub] = retiring } } };
        var g = StackProgram.Build(settings, AgentInventory.Load(Path.Combine(dir, settings.Inventory)), new TemplateRenderer(Path.Combine(dir, "templates")), dir, SourceHash, SourceHash);
        var users = ((YamlMappingNode)Yaml(Content(g, "edgehub/web.yml"))["basic_auth_users"]).Children.Keys.Select(k => k.ToString()).Order();
        Assert.Equal(new[] { "hub-g0", UserOf(SecurityRoles.Hub), UserOf(SecurityRoles.Operator) }.Order(), users);
    }

    [Theory]
    [InlineData("mainpc", "centralhub")]
    [InlineData("pc2", "edgehub")]
    public void Promtool_accepts_the_rendered_web_configs_and_hub_configs(string stack, string hub)
    {
        var g = Graph(stack, secured: true);
        var dir = Directory.CreateTempSubdirectory("resilience-webtls-");
        try
        {
            foreach (var component in new[] { hub, "pushgateway", "alertmanager" })
            {
                // The web config names its files as the container sees them: checked with the files where it says.
                var folder = Path.Combine(dir.FullName, component);
                Directory.CreateDirectory(Path.Combine(folder, "tls"));
                foreach (var name in new[] { "tls/server.pem", "tls/server-key.pem" }) System.IO.File.WriteAllText(Path.Combine(folder, name), Content(g, $"{component}/{name}"));
                var web = Content(g, $"{component}/web.yml");
                var containerDir = Container(g, component).Mounts!.Single(m => m.Type == MountKind.Bind).Target;
                var path = Path.Combine(folder, "web.yml");
                System.IO.File.WriteAllText(path, web.Replace(containerDir, folder, StringComparison.Ordinal));
                var check = Tool.Run("promtool", "check", "web-config", path);
                Assert.True(check.ExitCode == 0, $"{component}: {check}");
            }
            var config = Path.Combine(dir.FullName, "prometheus.yml");
            System.IO.File.WriteAllText(config, Content(g, $"{hub}/prometheus.yml"));
            var checkConfig = Tool.Run("promtool", "check", "config", "--syntax-only", config);
            Assert.True(checkConfig.ExitCode == 0, checkConfig.ToString());
            // Negative control: a plain password where a bcrypt hash belongs is refused, so the check above can fail.
            var broken = Path.Combine(dir.FullName, "broken.yml");
            System.IO.File.WriteAllText(broken, "basic_auth_users:\n  someone: not-a-hash\n");
            Assert.NotEqual(0, Tool.Run("promtool", "check", "web-config", broken).ExitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
