using Resilience.Operations.Gates;
using CheckResult = Resilience.Operations.Gates.CheckResult;

namespace Resilience.IntegrationTests.Rollout;

/// <summary>
/// A gate's verdict on a real Pushgateway (Debian's, in memory): the series the dashboard reads, one per stack and gate,
/// the next verdict of a gate replacing its last; beside the dashboard's own documented push without a conflict; and a
/// Pushgateway that is gone is a warning naming it, never an exception.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GateResultPushTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly TempDir _dir = new();
    private readonly string _address = LoopbackAddresses.For("gate-result-push");
    private const int Port = 9091;
    private ServerProcess _gateway = null!;

    private string Url => $"http://{_address}:{Port}";

    public async Task InitializeAsync()
    {
        _gateway = Servers.Pushgateway(_dir.Path, _address, Port);
        await _gateway.StartAsync();
    }

    private static GateResult Verdict(string gate, params Phase[] phases) => new(gate, $"{gate}.yaml", "pc2",
        DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), DateTimeOffset.FromUnixTimeSeconds(1_800_000_042),
        phases.Select((p, i) => new CheckResult($"check-{i}", null, "", "result == 1", "fail", p, [], 0, 0)).ToList());

    private async Task<List<string>> SeriesAsync() =>
        (await Http.GetStringAsync($"{Url}/metrics")).Split('\n').Where(l => l.StartsWith("resilience_gate_result{", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Each_gate_keeps_its_latest_verdict_with_the_labels_the_dashboard_reads()
    {
        using var push = new GateResultPush(Url, TimeSpan.FromSeconds(5));
        // The dashboard's documented hook, pushed by hand (untyped, another group): ours must not conflict with it.
        using (var byHand = await Http.PutAsync($"{Url}/metrics/job/resilience-gate",
            new StringContent("resilience_gate_result{gate=\"week-1\",week=\"1\",result=\"go\"} 1700000000\n")))
            Assert.True(byHand.IsSuccessStatusCode, $"{(int)byHand.StatusCode}");

        Assert.Null(await push.PushAsync(Verdict("week1", Phase.Passed, Phase.Passed), "pc2", 1, null, default));
        Assert.Null(await push.PushAsync(Verdict("week2-batch", Phase.Passed, Phase.Failed), "pc2", 2, 1, default));

        var series = await SeriesAsync();
        Assert.Equal(3, series.Count);
        var week1 = Assert.Single(series, s => s.Contains("gate=\"week1\"", StringComparison.Ordinal));
        foreach (var label in new[] { "job=\"resilience-gate\"", "machine=\"pc2\"", "result=\"go\"", "stack=\"pc2\"", "week=\"1\"" })
            Assert.Contains(label, week1, StringComparison.Ordinal);
        Assert.EndsWith(" 1.800000042e+09", week1, StringComparison.Ordinal);
        var batch = Assert.Single(series, s => s.Contains("gate=\"week2-batch\"", StringComparison.Ordinal));
        Assert.Contains("batch=\"1\"", batch, StringComparison.Ordinal);
        Assert.Contains("result=\"no-go\"", batch, StringComparison.Ordinal);

        // The gate's next verdict replaces its last (only inconclusive checks: neither Go nor a failure).
        Assert.Null(await push.PushAsync(Verdict("week1", Phase.Passed, Phase.Inconclusive), "pc2", 1, null, default));
        week1 = Assert.Single(await SeriesAsync(), s => s.Contains("gate=\"week1\"", StringComparison.Ordinal));
        Assert.Contains("result=\"inconclusive\"", week1, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pushgateway_that_is_gone_is_a_warning_naming_it()
    {
        using var push = new GateResultPush(Url, TimeSpan.FromSeconds(2));
        _gateway.Kill();

        var warning = await push.PushAsync(Verdict("week1", Phase.Passed), "pc2", 1, null, default);

        Assert.NotNull(warning);
        Assert.StartsWith($"the gate result was not pushed to {Url}/metrics/job/resilience-gate/stack/pc2/gate/week1: ", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", warning, StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        _gateway.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
