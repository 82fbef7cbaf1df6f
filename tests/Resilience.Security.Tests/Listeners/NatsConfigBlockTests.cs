namespace Resilience.Security.Tests.Listeners;

public sealed class NatsConfigBlockTests
{
    private static readonly string Hash = new BcryptHasher(4).Hash("p");

    [Fact]
    public void The_tls_block_quotes_its_paths_and_says_whether_peers_must_present_a_certificate()
    {
        var block = new NatsTls("/etc/nats/tls/server.crt", "/etc/nats/tls/server.key", "/etc/nats/tls/ca.crt", VerifyClients: true).Render();
        Assert.Equal("""
            tls {
              cert_file: "/etc/nats/tls/server.crt"
              key_file: "/etc/nats/tls/server.key"
              ca_file: "/etc/nats/tls/ca.crt"
              verify: true
              timeout: 2
            }

            """, block);
        Assert.Contains("verify: false", new NatsTls("c", "k", "ca", false).Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Users_carry_quoted_bcrypt_hashes_and_their_permissions_and_the_admin_none()
    {
        var text = new NatsAuthorization(
        [
            new NatsUser("admin", Hash, NatsRoles.Admin()),
            new NatsUser("agent-pc2", Hash, NatsRoles.Agent("pc2")),
        ]).Render();
        Assert.Contains($"{{ user: \"admin\", password: \"{Hash}\" }}", text, StringComparison.Ordinal);
        Assert.Contains("publish: { allow: [\"observability.metrics.pc2\", \"observability.health.pc2\"", text, StringComparison.Ordinal);
        Assert.Contains("subscribe: { allow: [\"_INBOX.>\"] }", text, StringComparison.Ordinal);
        Assert.StartsWith("authorization {\n  users = [\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_user_a_user_twice_or_a_plain_password_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new NatsAuthorization([]).Render());
        Assert.Throws<ArgumentException>(() => new NatsAuthorization([new NatsUser("a", Hash, null), new NatsUser("a", Hash, null)]).Render());
        var e = Assert.Throws<ArgumentException>(() => new NatsAuthorization([new NatsUser("agent", "plain", null)]).Render());
        Assert.Contains("authorization.users.agent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_may_publish_only_its_machines_subjects_and_a_runtime_not_as_the_other_machine()
    {
        var agent = NatsRoles.Agent("pc2");
        Assert.DoesNotContain(agent.PublishAllow, s => s.Contains("mainpc", StringComparison.Ordinal) || s.Contains('>', StringComparison.Ordinal) && s != NatsRoles.Inbox);
        var runtime = NatsRoles.Runtime("pc2", "observability-health-central", "observability-health-peer", "mainpc");
        Assert.Contains("observability.health.pc2", runtime.PublishAllow);
        Assert.DoesNotContain("observability.health.mainpc", runtime.PublishAllow);
        Assert.DoesNotContain(runtime.PublishAllow, s => s.StartsWith("$JS.API.STREAM.DELETE", StringComparison.Ordinal) || s == "$JS.API.>");
    }

    [Fact]
    public void The_leaf_link_may_call_only_the_sourcing_API_of_the_streams_named_for_each_side()
    {
        var link = NatsRoles.LeafLink("mainpc", "pc2", ["observability-health"], ["observability-metrics"]);
        Assert.Contains("$JS.mainpc.API.CONSUMER.CREATE.observability-health", link.PublishAllow);
        Assert.Contains("$JS.pc2.API.CONSUMER.CREATE.observability-metrics", link.SubscribeAllow);
        Assert.DoesNotContain(link.PublishAllow.Concat(link.SubscribeAllow), s => s.EndsWith(".API.>", StringComparison.Ordinal) || s.Contains("DELETE.observability-health\"", StringComparison.Ordinal) || s.StartsWith("observability.", StringComparison.Ordinal));
        Assert.DoesNotContain(link.PublishAllow, s => s.Contains("pc2.API", StringComparison.Ordinal));
    }

    [Fact]
    public void Quoting_escapes_quotes_and_backslashes_and_refuses_control_characters()
    {
        Assert.Equal("\"a\\\"b\\\\c\"", NatsConf.Quote("a\"b\\c"));
        Assert.Throws<ArgumentException>(() => NatsConf.Quote("a\nb"));
        Assert.Equal("  a\n\n  b\n", NatsConf.Indent("a\n\nb\n", 2));
    }
}
