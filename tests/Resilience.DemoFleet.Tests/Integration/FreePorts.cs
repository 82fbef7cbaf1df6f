using System.Net;
using System.Net.Sockets;

namespace Resilience.DemoFleet.Tests.Integration;

public static class FreePorts
{
    /// <summary>Ports the kernel handed out just now on 127.0.0.1, all different (held together while they are picked).</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
