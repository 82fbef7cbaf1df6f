namespace Resilience.IntegrationTests.JetStream;

/// <summary>The tests that start nats-server processes run one at a time (the latency test measures; the others keep it quiet).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NatsServerCollection
{
    public const string Name = "nats-server processes";
}
