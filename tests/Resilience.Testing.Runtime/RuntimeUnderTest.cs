using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Text.Json;
using Resilience.Runtime.Config;
using Resilience.Runtime.Contracts;
using Resilience.Runtime.Web;

namespace Resilience.Testing.Runtime;

/// <summary>The runtime service hosted in the test process, listening for real on its configured address.</summary>
public sealed class RuntimeUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RuntimeUnderTest(RuntimeConfig config, WebApplication app, LogCapture log)
    {
        Config = config;
        Log = log;
        _app = app;
        Http = new HttpClient { BaseAddress = config.Listen, Timeout = TimeSpan.FromSeconds(30) };
    }

    public RuntimeConfig Config { get; }

    public HttpClient Http { get; }

    /// <summary>False keeps the runtime off the console (the benchmark); tests leave it on.</summary>
    public static bool ConsoleLogging { get; set; } = true;

    /// <summary>Everything the runtime logged (every level).</summary>
    public LogCapture Log { get; }

    public static async Task<RuntimeUnderTest> StartAsync(string yaml, string dir, string name = "runtime")
    {
        var path = Path.Combine(dir, name + ".yaml");
        await File.WriteAllTextAsync(path, yaml);
        var config = RuntimeConfigLoader.Load(path);
        var log = new LogCapture();
        var app = RuntimeHost.Build(config, [], b =>
        {
            if (!ConsoleLogging)
            {
                b.Logging.ClearProviders();
            }
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            // The capture sees every level; the console keeps the usual Information and up.
            b.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Information);
            b.Logging.AddProvider(log);
        });
        await app.StartAsync();
        return new RuntimeUnderTest(config, app, log);
    }

    public async Task<JsonDocument> StatusAsync() => JsonDocument.Parse(await Http.GetStringAsync("/status"));

    public async Task<HttpResponseMessage> PushAsync(string job, string run, int value)
    {
        var body = $"# TYPE loadgen_value gauge\nloadgen_value{{run=\"{run}\"}} {value}\n";
        return await Http.PostAsync($"/metrics/job/{job}/instance/loadgen", new StringContent(body));
    }

    public async Task<double> MetricAsync(string line)
    {
        var text = await Http.GetStringAsync("/metrics");
        var match = text.Split('\n').FirstOrDefault(l => l.StartsWith(line + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no '{line}' in /metrics:\n{text}");
        return double.Parse(match[(line.Length + 1)..], CultureInfo.InvariantCulture);
    }

    public async Task<string> ActiveTierAsync()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync("/status"));
        return doc.RootElement.GetProperty("active").GetString()!;
    }

    public Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit, string what) =>
        Poll.UntilAsync(condition, limit, what, async () => $"status: {await Http.GetStringAsync("/status")}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
    }
}
