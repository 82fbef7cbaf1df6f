namespace Resilience.IntegrationTests.Engine;

/// <summary>
/// Where the test stacks listen: their own loopback addresses (the main demo and other tests use .2/.3) with the
/// project's default ports.
/// </summary>
internal static class TestMachines
{
    public const string MainPcAddress = "127.0.0.12";
    public const string Pc2Address = "127.0.0.13";

    public static readonly Uri CentralHub = new($"http://{MainPcAddress}:9000");
    public static readonly Uri EdgeHub = new($"http://{Pc2Address}:9100");
    public static readonly Uri Pc2Pushgateway = new($"http://{Pc2Address}:9091");
    public const string MainPcNats = $"nats://{MainPcAddress}:4222";
    public const string Pc2Nats = $"nats://{Pc2Address}:4223";
}
