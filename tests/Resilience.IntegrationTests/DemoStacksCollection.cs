namespace Resilience.IntegrationTests;

/// <summary>
/// The tests of the demo stacks mainpc and pc2 (fixed container names and addresses, which no other test uses): one at
/// a time, beside the other parallel collections. They share one bring-up, <see cref="DemoStacks"/>: each takes it in
/// its constructor and begins with <see cref="DemoStacks.ResetAsync"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DemoStacksCollection : ICollectionFixture<DemoStacks>
{
    public const string Name = "demo stacks";
}
