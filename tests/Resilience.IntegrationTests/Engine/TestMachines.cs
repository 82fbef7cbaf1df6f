namespace Resilience.IntegrationTests.Engine;

/// <summary>
/// Where the test stacks listen: loopback addresses of their own (<see cref="LoopbackAddresses"/>; the demo stacks keep
/// .2/.3) with the project's default ports.
/// </summary>
internal static class TestMachines
{
    public static readonly string MainPcAddress = LoopbackAddresses.For("engine-mainpc");
    public static readonly string Pc2Address = LoopbackAddresses.For("engine-pc2");

    public static readonly Uri CentralHub = new($"http://{MainPcAddress}:9000");
    public static readonly Uri EdgeHub = new($"http://{Pc2Address}:9100");
    public static readonly Uri Pc2Pushgateway = new($"http://{Pc2Address}:9091");
    public static readonly string MainPcNats = $"nats://{MainPcAddress}:4222";
    public static readonly string Pc2Nats = $"nats://{Pc2Address}:4223";
}
