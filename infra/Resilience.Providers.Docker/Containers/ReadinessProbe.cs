using System.Diagnostics;

namespace Resilience.Providers.Docker.Containers;

/// <summary>Polls a container's ready URL until it answers 200, failing early (with its logs) if the container exits.</summary>
internal sealed class ReadinessProbe(DockerClient docker, HttpClient http)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StateCheckInterval = TimeSpan.FromSeconds(1);

    /// <returns>How long it took to become ready.</returns>
    public async Task<TimeSpan> WaitAsync(string containerId, string name, Readiness ready, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var lastStateCheck = TimeSpan.Zero;
        string lastAnswer = "no answer yet";
        while (clock.Elapsed < ready.Timeout)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync(ready.Url, attempt.Token);
                if ((int)response.StatusCode == 200) return clock.Elapsed;
                lastAnswer = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lastAnswer = "request timed out";
            }

            if (clock.Elapsed - lastStateCheck >= StateCheckInterval)
            {
                lastStateCheck = clock.Elapsed;
                var state = (await docker.Containers.InspectContainerAsync(containerId, ct)).State;
                if (!state.Running && !state.Restarting)
                {
                    throw new InvalidOperationException(
                        $"container {name} exited (code {state.ExitCode}) before {ready.Url} was ready; last log lines:\n{await ContainerLogs.TailAsync(docker, containerId, ct)}");
                }
            }
            await Task.Delay(PollInterval, ct);
        }
        throw new TimeoutException(
            $"container {name} was not ready at {ready.Url} within {ready.Timeout.TotalSeconds:0} s ({lastAnswer}); last log lines:\n{await ContainerLogs.TailAsync(docker, containerId, ct)}");
    }
}

internal static class ContainerLogs
{
    public static async Task<string> TailAsync(DockerClient docker, string containerId, CancellationToken ct)
    {
        try
        {
            using var stream = await docker.Containers.GetContainerLogsAsync(containerId, false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "20" }, ct);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
            return (stdout + stderr).TrimEnd();
        }
        catch (DockerApiException e)
        {
            return $"(logs unavailable: {e.StatusCode})";
        }
    }
}
