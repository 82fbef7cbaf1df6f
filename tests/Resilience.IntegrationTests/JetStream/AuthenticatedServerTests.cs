using Resilience.Providers.JetStream;

namespace Resilience.IntegrationTests.JetStream;

[Collection(NatsServerCollection.Name)]
public sealed class AuthenticatedServerTests : IDisposable
{
    private const string Password = "s3cret-leaf-pass";

    private readonly NatsServer _server = NatsServer.Start("auth", LoopbackAddresses.For("jetstream-auth"), 14223, "pc2", $$"""
        authorization { user: deployer, password: "{{Password}}" }
        """);

    private readonly JetStreamProvider _provider = new();

    public void Dispose() => _server.Dispose();

    private Resource Stream(string? user, JsonNode? password)
    {
        var inputs = new JsonObject { ["server"] = _server.Url, ["name"] = "observability-health", ["subjects"] = new JsonArray("observability.health.*") };
        if (user is not null) inputs["user"] = user;
        if (password is not null) inputs["password"] = password;
        return new Resource { Stack = "pc2", Type = JetStreamOperations.StreamType, Name = "observability-health", Inputs = inputs };
    }

    [Fact]
    public async Task Refuses_anonymous_and_wrong_credentials_and_accepts_the_configured_ones()
    {
        var anonymous = await Assert.ThrowsAsync<JetStreamException>(() => _provider.CreateAsync(Stream(null, null), CancellationToken.None));
        Assert.Contains($"cannot connect to NATS server {_server.Url}", anonymous.Message);
        Assert.Contains("Authorization Violation", anonymous.Message);

        var wrong = await Assert.ThrowsAsync<JetStreamException>(
            () => _provider.CreateAsync(Stream("deployer", Secret.Wrap("guess")), CancellationToken.None));
        Assert.Contains("Authorization Violation", wrong.Message);
        Assert.DoesNotContain("guess", wrong.Message);

        var right = Stream("deployer", Secret.Wrap(Password));
        Assert.Empty(_provider.Check(right).Failures);
        await _provider.CreateAsync(right, CancellationToken.None);
        var state = new ResourceState { Urn = right.Urn, Type = right.Type, Name = right.Name, Inputs = right.Inputs };
        var read = await _provider.ReadAsync(state, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(right.Inputs, read!.Inputs));
        await _provider.DeleteAsync(state, CancellationToken.None);
        Assert.Null(await _provider.ReadAsync(state, CancellationToken.None));
    }
}
