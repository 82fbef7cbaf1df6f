using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Resilience.DemoFleet.Contracts;

namespace Resilience.DemoFleet.Agents;

/// <summary>
/// One demo agent: answers its health and metrics paths, and while up produces a sample every push period and pushes
/// its metrics to the push target of its agent file (PUT, as to a Pushgateway). The control API switches its mode and
/// restarts it: stop, re-read the file, start.
/// </summary>
public sealed class DemoAgent(FleetAgent spec, string? agentFilePath, TimeSpan period, HttpClient http, ILogger log)
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly LatencyWindow _pushLatency = new();
    private AgentMode _mode = AgentMode.Starting;
    private int _delayMs;
    private AgentFile? _file;
    private long _generation;
    private string? _error;
    private CancellationTokenSource _hangRelease = new();
    private CancellationTokenSource? _loopStop;
    private Task _loop = Task.CompletedTask;
    private long _samples;
    private long _pushesOk;
    private long _pushesFailed;
    private long _restartsOk;
    private long _restartsFailed;
    private PushResult? _lastPush;

    public string Name => spec.Name;

    public int Port => spec.Port;

    public long RestartsOk => Interlocked.Read(ref _restartsOk);

    public long RestartsFailed => Interlocked.Read(ref _restartsFailed);

    /// <summary>Reads the agent file and starts working; the first sample comes after <paramref name="firstDelay"/>.</summary>
    /// <returns>Null when running, else why the agent could not start (its file named).</returns>
    public async Task<string?> StartAsync(TimeSpan firstDelay)
    {
        await _lifecycle.WaitAsync();
        try
        {
            return await StartLockedAsync(firstDelay, waitForFirstPush: false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            Stopping();
            await StopLoopAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>The fleet is shutting down: release requests left hanging, so the server can stop at once.</summary>
    public void Stopping() => SetMode(AgentMode.Stopped, 0, "fleet stopping");

    /// <summary>Graceful: stop, re-read the agent file, start; answers once the agent is up and has made its first push.</summary>
    /// <returns>Null when back up, else why it could not start.</returns>
    public async Task<string?> RestartAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            SetMode(AgentMode.Restarting, 0, "restart requested");
            await StopLoopAsync();
            var error = await StartLockedAsync(TimeSpan.Zero, waitForFirstPush: true);
            Interlocked.Increment(ref error is null ? ref _restartsOk : ref _restartsFailed);
            return error;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <returns>Null when switched, else why not (a restarting or misconfigured agent needs a restart).</returns>
    public string? Switch(AgentMode mode, int delayMs = 0)
    {
        lock (_lock)
        {
            if (!_mode.IsControllable())
            {
                return $"agent {Name} is {_mode.Name()}{(_error is null ? "" : $" ({_error})")}: restart it";
            }
        }
        SetMode(mode, delayMs, "control API");
        return null;
    }

    public AgentState State()
    {
        lock (_lock)
        {
            return new AgentState(Name, Port, _mode.Name(), _delayMs, _file is null ? 1 : 2, _generation, _file?.Sha256,
                agentFilePath, _file?.PushTarget.ToString(), Interlocked.Read(ref _samples), Interlocked.Read(ref _pushesOk),
                Interlocked.Read(ref _pushesFailed), _lastPush, _error);
        }
    }

    public string Metrics() => AgentExposition.Render(State(), _pushLatency);

    /// <summary>Answers a request on the agent's own port.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value;
        var health = path == spec.HealthPath;
        if (!health && path != spec.MetricsPath)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        while (true)
        {
            AgentMode mode;
            int delay;
            CancellationToken hang;
            string? error;
            lock (_lock)
            {
                (mode, delay, hang, error) = (_mode, _delayMs, _hangRelease.Token, _error);
            }
            if (mode == AgentMode.Hung)
            {
                // Never answers until recovered or restarted; the caller's timeout (or disconnect) ends the wait.
                using var either = CancellationTokenSource.CreateLinkedTokenSource(hang, http.RequestAborted);
                await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (http.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
                continue;
            }
            if (mode == AgentMode.Slow)
            {
                if (!await WaitAtLeastAsync(TimeSpan.FromMilliseconds(delay), http.RequestAborted))
                {
                    return;
                }
            }
            await AnswerAsync(http, health, mode, error);
            return;
        }
    }

    private async Task AnswerAsync(HttpContext http, bool health, AgentMode mode, string? error)
    {
        var (status, body, type) = (health, mode) switch
        {
            (true, AgentMode.Running or AgentMode.Slow) => (200, "ok\n", "text/plain"),
            (true, AgentMode.Failed) => (503, "failed (made to fail through the control API)\n", "text/plain"),
            (true, AgentMode.ConfigError) => (503, $"cannot start: {error}\n", "text/plain"),
            (_, AgentMode.Starting or AgentMode.Restarting or AgentMode.Stopped) => (503, mode.Name() + "\n", "text/plain"),
            (false, AgentMode.ConfigError) => (503, $"cannot start: {error}\n", "text/plain"),
            _ => (200, Metrics(), AgentExposition.ContentType),
        };
        http.Response.StatusCode = status;
        http.Response.ContentType = type;
        await http.Response.WriteAsync(body, http.RequestAborted);
    }

    private async Task<string?> StartLockedAsync(TimeSpan firstDelay, bool waitForFirstPush)
    {
        AgentFile? file;
        try
        {
            file = AgentFileReader.Read(agentFilePath, Name);
        }
        catch (AgentFileException e)
        {
            lock (_lock)
            {
                _file = null;
                _error = e.Message;
            }
            SetMode(AgentMode.ConfigError, 0, e.Message);
            return e.Message;
        }
        long generation;
        lock (_lock)
        {
            _file = file;
            _error = null;
            generation = ++_generation;
            _hangRelease = new CancellationTokenSource();
        }
        var what = file is null
            ? $"no agent file{(agentFilePath is null ? "" : $" at {agentFilePath}")}: Phase 1, scraped only"
            : $"{file.Path} (sha256 {file.Sha256[..12]}), pushing to {file.PushTarget}";
        SetMode(AgentMode.Running, 0, $"config generation {generation}: {what}");
        var firstPush = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loopStop = new CancellationTokenSource();
        _loop = WorkAsync(file, firstDelay, firstPush, _loopStop.Token);
        if (waitForFirstPush)
        {
            await firstPush.Task;
        }
        return null;
    }

    private async Task StopLoopAsync()
    {
        if (_loopStop is null)
        {
            return;
        }
        await _loopStop.CancelAsync();
        await _loop;
        _loopStop.Dispose();
        _loopStop = null;
        CancellationTokenSource release;
        lock (_lock)
        {
            release = _hangRelease;
        }
        await release.CancelAsync(); // a restarted process no longer hangs its old requests
    }

    private async Task WorkAsync(AgentFile? file, TimeSpan firstDelay, TaskCompletionSource firstPush, CancellationToken stop)
    {
        try
        {
            await Task.Delay(firstDelay, stop);
            // A CA of its own (an HTTPS target of the pair): a client that trusts only it, for this file's lifetime.
            using var own = file?.PushCa is { } roots
                ? new HttpClient(new Resilience.Security.Certificates.CaTrust(roots).Handler()) { Timeout = Timeout.InfiniteTimeSpan }
                : null;
            var client = own ?? http;
            using var timer = new PeriodicTimer(period);
            do
            {
                bool up;
                lock (_lock)
                {
                    up = _mode.IsUp();
                }
                if (up)
                {
                    var sample = Interlocked.Increment(ref _samples);
                    if (file is not null)
                    {
                        await PushAsync(client, file, sample, stop);
                    }
                }
                firstPush.TrySetResult();
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            firstPush.TrySetResult();
        }
    }

    private async Task PushAsync(HttpClient client, AgentFile file, long sample, CancellationToken stop)
    {
        var target = file.PushTarget;
        var started = Stopwatch.GetTimestamp();
        int? status = null;
        string? error = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            var limit = TimeSpan.FromTicks(Math.Clamp(period.Ticks, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(10).Ticks));
            timeout.CancelAfter(limit);
            try
            {
                using var content = new StringContent(Metrics(), Encoding.UTF8);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(AgentExposition.ContentType);
                using var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = content };
                if (file.PushAuth is { } auth)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", auth.Authorization());
                }
                using var response = await client.SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(timeout.Token);
                    error = $"HTTP {status}: {body.Split('\n', 2)[0].Trim()}";
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException)
            {
                error = $"no answer within {limit.TotalSeconds:0.#}s";
            }
            catch (HttpRequestException e)
            {
                error = e.Message;
            }
        }
        var duration = Stopwatch.GetElapsedTime(started);
        _pushLatency.Observe(duration);
        var result = new PushResult(DateTimeOffset.UtcNow, error is null, status, Math.Round(duration.TotalMilliseconds, 3), sample, error);
        Interlocked.Increment(ref error is null ? ref _pushesOk : ref _pushesFailed);
        PushResult? previous;
        lock (_lock)
        {
            previous = _lastPush;
            _lastPush = result;
        }
        if (previous is null || previous.Ok != result.Ok)
        {
            if (result.Ok)
            {
                log.LogInformation("agent {Agent}: pushes to {Target} ok", Name, target);
            }
            else
            {
                log.LogWarning("agent {Agent}: pushes to {Target} failing: {Error}", Name, target, error);
            }
        }
    }

    // Task.Delay's timer may fire a millisecond before a Stopwatch says the time is up; a slow agent promises
    // at least its delay, so it waits out the remainder.
    private static async Task<bool> WaitAtLeastAsync(TimeSpan delay, CancellationToken aborted)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < delay)
        {
            await Task.Delay(delay - waited.Elapsed + TimeSpan.FromMilliseconds(1), aborted).ContinueWith(_ => { }, TaskScheduler.Default);
            if (aborted.IsCancellationRequested)
            {
                return false;
            }
        }
        return true;
    }

    private void SetMode(AgentMode mode, int delayMs, string why)
    {
        AgentMode before;
        CancellationTokenSource? release = null;
        lock (_lock)
        {
            before = _mode;
            if (before == mode && _delayMs == delayMs)
            {
                return;
            }
            _mode = mode;
            _delayMs = mode == AgentMode.Slow ? delayMs : 0;
            if (before == AgentMode.Hung && mode != AgentMode.Hung)
            {
                release = _hangRelease;
                _hangRelease = new CancellationTokenSource();
            }
        }
        release?.Cancel();
        var slow = mode == AgentMode.Slow ? $" {delayMs} ms" : "";
        log.LogInformation("agent {Agent}: {From} -> {To}{Slow} ({Why})", Name, before.Name(), mode.Name(), slow, why);
    }
}
