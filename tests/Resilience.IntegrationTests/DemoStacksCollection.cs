namespace Resilience.IntegrationTests;

/// <summary>
/// The tests that bring up the demo stacks themselves (mainpc and pc2: fixed container names and addresses, and each
/// removes what is labelled with them before it starts): one at a time, and never beside another collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoStacksCollection
{
    public const string Name = "demo stacks";
}
