using System.Diagnostics;

namespace Resilience.Providers.Docker.Containers;

/// <summary>
/// Polls a container's ready URL until it answers 200, failing early (with its logs) when the container exits or Docker
/// restarts it (a restart loop would otherwise look like a slow start until the timeout).
/// </summary>
internal sealed class ReadinessProbe(DockerClient docker, ProbeHttp http)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StateCheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a container without a ready URL must stay up to count as started.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    /// <summary>One request to the ready URL: whether it answered 200, and what it answered otherwise.</summary>
    public async Task<(bool Ready, string Answer)> AskAsync(Readiness ready, CancellationToken ct)
    {
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(AnswerTimeout);
            using var response = await http.SendAsync(HttpMethod.Get, ready.Url, ready.Auth, attempt.Token);
            return ((int)response.StatusCode == 200, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return (false, e.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, "request timed out");
        }
    }

    /// <returns>How long it took to become ready.</returns>
    /// <exception cref="ContainerExitedException">It exited, or Docker restarted it, before it was ready.</exception>
    public async Task<TimeSpan> WaitAsync(string containerId, string name, Readiness ready, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var restartsBefore = (await docker.Containers.InspectContainerAsync(containerId, ct)).RestartCount;
        var lastStateCheck = TimeSpan.Zero;
        string lastAnswer = "no answer yet";
        while (clock.Elapsed < ready.Timeout)
        {
            var (isReady, answer) = await AskAsync(ready, ct);
            if (isReady) return clock.Elapsed;
            lastAnswer = answer;

            if (clock.Elapsed - lastStateCheck >= StateCheckInterval)
            {
                lastStateCheck = clock.Elapsed;
                await ThrowIfExitedAsync(containerId, name, restartsBefore, $"before {ready.Url} was ready", ct);
            }
            await Task.Delay(PollInterval, ct);
        }
        throw new TimeoutException(
            $"container {name} was not ready at {ready.Url} within {ready.Timeout.TotalSeconds:0} s ({lastAnswer}); last log lines:\n{await ContainerLogs.TailAsync(docker, containerId, ct)}");
    }

    /// <summary>For a container without a ready URL: it stays up, without a restart, for a few seconds.</summary>
    public async Task SettleAsync(string containerId, string name, CancellationToken ct)
    {
        var restartsBefore = (await docker.Containers.InspectContainerAsync(containerId, ct)).RestartCount;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SettleTime)
        {
            await Task.Delay(StateCheckInterval / 2, ct);
            await ThrowIfExitedAsync(containerId, name, restartsBefore, "after it was started", ct);
        }
    }

    private async Task ThrowIfExitedAsync(string containerId, string name, long restartsBefore, string when, CancellationToken ct)
    {
        var live = await docker.Containers.InspectContainerAsync(containerId, ct);
        var state = live.State;
        if (state.Running && !state.Restarting && live.RestartCount == restartsBefore) return;
        var logs = await ContainerLogs.TailAsync(docker, containerId, ct);
        var what = state.Running || state.Restarting ? $"exited (code {state.ExitCode}) and Docker restarted it" : $"exited (code {state.ExitCode})";
        throw new ContainerExitedException($"container {name} {what} {when}; last log lines:\n{logs}", logs);
    }
}

/// <summary>The container's process ended: what it last logged may name the cause.</summary>
internal sealed class ContainerExitedException(string message, string logs) : InvalidOperationException(message)
{
    public string Logs { get; } = logs;
}

internal static class ContainerLogs
{
    public static async Task<string> TailAsync(DockerClient docker, string containerId, CancellationToken ct, int lines = 20)
    {
        try
        {
            using var stream = await docker.Containers.GetContainerLogsAsync(containerId, false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
            return (stdout + stderr).TrimEnd();
        }
        catch (DockerApiException e)
        {
            return $"(logs unavailable: {e.StatusCode})";
        }
    }
}
