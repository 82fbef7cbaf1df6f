using System.Text.Json.Nodes;
using Resilience.Engine.Planning;
using Resilience.Engine.Providers;
using Resilience.Model;
using Resilience.Providers.Docker;

namespace Resilience.Tests.Contracts;

/// <summary>Providers return failures as data; the planner alone words them, naming the resource once.</summary>
public sealed class CheckFailureWordingTests : IDisposable
{
    private readonly EngineHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_failed_check_names_the_urn_once_then_the_input_and_the_reason()
    {
        using var docker = new DockerProvider();
        var engine = new Resilience.Engine.StackEngine(_harness.Backend, EngineHarness.StackName, new ProviderRegistry(docker));
        var image = new Resource { Stack = EngineHarness.StackName, Type = "docker:image", Name = "i", Inputs = new JsonObject { ["source"] = "registry" } };

        var error = await Assert.ThrowsAsync<PlanException>(() => engine.PreviewAsync(new ResourceGraph(EngineHarness.StackName, [image])));

        Assert.Equal([$"{image.Urn}: name: is required"], error.Problems);
    }
}
