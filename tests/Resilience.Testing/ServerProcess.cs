using System.Diagnostics;
using System.Net.Sockets;

namespace Resilience.Testing;

/// <summary>A real server process (prometheus, pushgateway, nats-server) that a test can kill -9 and start again.</summary>
/// <param name="readyUrl">Polled after the start until it answers: an HTTP URL (2xx), or tcp://host:port (accepts a
/// connection); null: started is ready.</param>
public sealed class ServerProcess(string name, string executable, IReadOnlyList<string> arguments, Uri? readyUrl, string logDir) : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;

    public string Name => name;

    public async Task StartAsync()
    {
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is not installed (scripts/setup installs it)");
        }
        // A server already answering there would make the readiness check below pass for the wrong process.
        if (readyUrl is not null && await AnswersQuietlyAsync(readyUrl))
        {
            throw new InvalidOperationException($"{name}: something already answers at {readyUrl}; not starting a second server there");
        }
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var log = new StreamWriter(Path.Combine(logDir, name + ".log"), append: true) { AutoFlush = true };
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        _process.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (readyUrl is not null)
        {
            await WaitReadyAsync(readyUrl, TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>SIGKILL: the server gets no chance to close its sockets cleanly.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private async Task WaitReadyAsync(Uri url, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {_process.ExitCode}; see {logDir}/{name}.log");
            }
            try
            {
                if (await AnswersAsync(url))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{name} not ready at {url} within {limit} (is the port taken?); see {logDir}/{name}.log");
    }

    private static async Task<bool> AnswersQuietlyAsync(Uri url)
    {
        try
        {
            return await AnswersAsync(url);
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(Uri url)
    {
        if (url.Scheme == "tcp")
        {
            using var client = new TcpClient();
            await client.ConnectAsync(url.Host, url.Port);
            return true;
        }
        using var response = await Http.GetAsync(url);
        return response.IsSuccessStatusCode;
    }
}
