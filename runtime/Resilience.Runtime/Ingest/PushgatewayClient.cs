using System.Text;

namespace Resilience.Runtime.Ingest;

/// <summary>Replays a push unchanged (method, grouping path, body) to a real Pushgateway.</summary>
public sealed class PushgatewayClient(HttpClient http)
{
    public Task<ForwardResult> PushAsync(Uri pushgateway, PushBatch batch, TimeSpan timeout, CancellationToken stop) =>
        ForwardResult.SendAsync(ct =>
        {
            var body = batch.Body.EndsWith('\n') ? batch.Body : batch.Body + "\n";
            var url = new Uri(pushgateway, "metrics/" + batch.GroupPath.TrimStart('/'));
            var request = new HttpRequestMessage(new HttpMethod(batch.Method), url)
            {
                Content = new StringContent(body, Encoding.UTF8, "text/plain"),
            };
            request.Content.Headers.ContentType!.Parameters.Add(new("version", "0.0.4"));
            return http.SendAsync(request, ct);
        }, timeout, stop);
}
