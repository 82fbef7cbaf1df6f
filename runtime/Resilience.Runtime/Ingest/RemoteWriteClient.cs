using System.Net.Http.Headers;
using Snappier;

namespace Resilience.Runtime.Ingest;

/// <summary>Sends an encoded WriteRequest to a hub's remote-write receiver (<c>/api/v1/write</c>), snappy block format.</summary>
public sealed class RemoteWriteClient(HttpClient http)
{
    public Task<ForwardResult> SendAsync(Uri hub, byte[] writeRequest, TimeSpan timeout, CancellationToken stop) =>
        ForwardResult.SendAsync(ct =>
        {
            var content = new ByteArrayContent(Snappy.CompressToArray(writeRequest));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            content.Headers.ContentEncoding.Add("snappy");
            var request = new HttpRequestMessage(HttpMethod.Post, WriteUrl(hub)) { Content = content };
            request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
            return http.SendAsync(request, ct);
        }, timeout, stop);

    /// <param name="hub">Ends in '/' (the config loader sees to it), so a base path is kept.</param>
    public static Uri WriteUrl(Uri hub) => new(hub, "api/v1/write");
}
