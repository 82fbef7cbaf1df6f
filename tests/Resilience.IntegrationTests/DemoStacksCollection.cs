namespace Resilience.IntegrationTests;

/// <summary>
/// The tests of the demo stacks mainpc and pc2 (fixed container names and addresses): one at a time, and never beside
/// another collection. They share one bring-up, <see cref="DemoStacks"/>: each takes it in its constructor and begins
/// with <see cref="DemoStacks.ResetAsync"/>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoStacksCollection : ICollectionFixture<DemoStacks>
{
    public const string Name = "demo stacks";
}
