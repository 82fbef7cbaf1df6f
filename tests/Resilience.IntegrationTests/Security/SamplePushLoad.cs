using System.Globalization;
using System.Net.Http.Headers;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Security;

/// <summary>
/// An agent pushing one counter sample (value = its sequence number, 1, 2, 3…) to a runtime's ingest every
/// <see cref="Period"/>, as the pusher whose credential its stack file holds at that moment. A push that fails (refused,
/// 5xx, no connection) is retried with the same sequence number until accepted, as a real agent re-sends the sample it
/// could not deliver; a sample still not accepted after <see cref="GiveUpAfter"/> is lost.
/// </summary>
public sealed class SamplePushLoad(Uri ingest, string metric, StackFileSecurity security)
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Samples pushed: 1..Pushed.</summary>
    public int Pushed { get; private set; }

    /// <summary>Samples accepted (2xx), at the first attempt or a retry.</summary>
    public int Accepted { get; private set; }

    /// <summary>Samples given up on after <see cref="GiveUpAfter"/> of retries.</summary>
    public List<int> Lost { get; } = [];

    /// <summary>Every failed attempt (each was retried), with the seconds since the load started.</summary>
    public List<FailedAttempt> FailedAttempts { get; } = [];

    /// <summary>Failed attempts answered 401: a listener that refused the credential a client was told to present.</summary>
    public int Unauthorized { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var trust = CaTrust.FromPem(security.Current.CaCertificatesPem);
        using var http = new HttpClient(trust.Handler()) { Timeout = TimeSpan.FromSeconds(5) };
        for (var seq = 1; !stop.IsCancellationRequested; seq++)
        {
            Pushed = seq;
            var since = Stopwatch.StartNew();
            bool accepted;
            while (!(accepted = await PushAsync(http, seq)) && since.Elapsed < GiveUpAfter) await Task.Delay(Period, CancellationToken.None);
            if (accepted) Accepted++;
            else Lost.Add(seq);
            try
            {
                await Task.Delay(Period, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<bool> PushAsync(HttpClient http, int seq)
    {
        var pusher = security.User(SecurityRoles.Pusher);
        using var request = new HttpRequestMessage(HttpMethod.Post, ingest)
        {
            Content = new StringContent($"# TYPE {metric} counter\n{metric} {seq.ToString(CultureInfo.InvariantCulture)}\n", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(new Credential(pusher.User, pusher.Password).BasicAuthorization());
        try
        {
            using var response = await http.SendAsync(request, CancellationToken.None);
            if (response.IsSuccessStatusCode) return true;
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized) Unauthorized++;
            Fail(seq, $"HTTP {(int)response.StatusCode} as {pusher.User}: {(await response.Content.ReadAsStringAsync(CancellationToken.None)).Trim()}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Fail(seq, $"{e.GetType().Name}: {e.Message}");
        }
        return false;
    }

    private void Fail(int seq, string why) => FailedAttempts.Add(new FailedAttempt(_clock.Elapsed, $"sample {seq}", why));
}
