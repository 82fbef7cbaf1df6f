using System.Globalization;
using System.Text;
using Resilience.Stack.Components;
using Resilience.Stack.Config;

namespace Resilience.Operations.Gates;

/// <summary>
/// Pushes a gate's verdict to its machine's Pushgateway as
/// <c>resilience_gate_result{machine, week, [batch,] result="go|no-go|inconclusive"} &lt;unix time&gt;</c> in the group
/// job=resilience-gate, stack, gate: the series the dashboard's rollout table reads (<see cref="Dashboard.GateResultMetric"/>).
/// One group per stack and gate, so each gate's latest verdict stays and the next one of the same gate replaces it.
/// A failed push is a warning for the caller to show: the verdict (exit code, history) stands without it.
/// </summary>
/// <param name="security">The stacks' security material: the Pushgateway serves TLS and asks for a user, and the push
/// is made as the operator (<see cref="OperatorHttp"/>). Null: plain HTTP.</param>
public sealed class GateResultPush(string pushgatewayUrl, TimeSpan timeout, SecuritySettings? security = null) : IDisposable
{
    public const string Job = "resilience-gate";

    private readonly HttpClient _http = new(OperatorHttp.Handler(security)) { Timeout = timeout };

    public static string Result(GateResult result) =>
        result.Go ? "go" : result.Checks.Any(c => c.Phase == Phase.Failed) ? "no-go" : "inconclusive";

    public string Url(GateResult result) =>
        $"{pushgatewayUrl.TrimEnd('/')}/metrics/job/{Job}/{Segment("stack", result.Stack)}/{Segment("gate", result.Gate)}";

    /// <summary>
    /// One sample, untyped and without HELP like the dashboard's documented hook: the Pushgateway refuses a push whose
    /// type or help differs from the same metric's in another group.
    /// </summary>
    public static string Body(GateResult result, string machine, int week, int? batch)
    {
        var labels = new List<(string, string)> { ("machine", machine), ("week", week.ToString(CultureInfo.InvariantCulture)) };
        if (batch is { } b) labels.Add(("batch", b.ToString(CultureInfo.InvariantCulture)));
        labels.Add(("result", Result(result)));
        var text = string.Join(",", labels.Select(l => $"{l.Item1}=\"{EscapeValue(l.Item2)}\""));
        return $"{Dashboard.GateResultMetric}{{{text}}} {result.Finished.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}\n";
    }

    /// <returns>Null when pushed, else the warning line to show.</returns>
    public async Task<string?> PushAsync(GateResult result, string machine, int week, int? batch, CancellationToken ct)
    {
        var url = Url(result);
        try
        {
            using var content = new StringContent(Body(result, machine, week, batch), Encoding.UTF8, "text/plain");
            content.Headers.ContentType!.Parameters.Add(new("version", "0.0.4"));
            using var answer = await _http.PutAsync(url, content, ct);
            if (answer.IsSuccessStatusCode) return null;
            var body = (await answer.Content.ReadAsStringAsync(ct)).Trim();
            return $"the gate result was not pushed to {url}: {(int)answer.StatusCode} {OneLine(body)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return $"the gate result was not pushed to {url}: {OneLine(e.Message)}";
        }
    }

    /// <summary>A grouping label in the URL path; a value that is not plain goes base64url-encoded (`name@base64/…`).</summary>
    private static string Segment(string name, string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? $"{name}/{value}"
            : $"{name}@base64/{Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

    private static string EscapeValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public void Dispose() => _http.Dispose();
}
