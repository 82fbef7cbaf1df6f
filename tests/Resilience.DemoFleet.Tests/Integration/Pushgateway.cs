using System.Diagnostics;
using System.Globalization;

namespace Resilience.DemoFleet.Tests.Integration;

/// <summary>A real Pushgateway (Debian's prometheus-pushgateway) on a free port of 127.0.0.1, shared by a test class.</summary>
public sealed class Pushgateway : IAsyncLifetime
{
    private const string Executable = "/usr/bin/prometheus-pushgateway";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    public Uri Url { get; private set; } = null!;

    /// <summary>Where an agent pushes, as the stacks render it: the Pushgateway API with the agent's job.</summary>
    public Uri PushTarget(string agent) => new(Url, $"/metrics/job/{agent}");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is not installed (scripts/setup installs it)");
        }
        var port = FreePorts.Take(1)[0];
        Url = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        // Debian's default is /var/lib/prometheus/pushgateway.data, shared by every Pushgateway started without the
        // flag: groups pushed in an earlier run would be there at start, and "nothing was pushed" could not be shown.
        info.ArgumentList.Add("--persistence.file=");
        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await Wait.UntilAsync(async () =>
        {
            try
            {
                return (await Http.GetAsync(new Uri(Url, "/-/ready"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "the Pushgateway to be ready");
    }

    /// <summary>The value the Pushgateway holds for <paramref name="metric"/> pushed under <paramref name="job"/> (with the given labels), or null.</summary>
    public async Task<double?> ValueAsync(string metric, string job, string? label = null)
    {
        var text = await Http.GetStringAsync(new Uri(Url, "/metrics"));
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains($"job=\"{job}\"", StringComparison.Ordinal)
                && (label is null || line.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
