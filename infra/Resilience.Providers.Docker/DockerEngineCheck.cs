namespace Resilience.Providers.Docker;

/// <summary>
/// Tells a Docker engine that stopped answering (killed, restarting) from a call that failed for its own reason, so an
/// operation fails with one line saying so instead of a transport error per step.
/// </summary>
internal sealed class DockerEngineCheck(DockerClient docker)
{
    private static readonly TimeSpan PingLimit = TimeSpan.FromSeconds(5);

    /// <summary>Runs a call; when it fails and the engine does not answer a ping either, that is the error.</summary>
    public async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not (DockerApiException or ProviderUnavailableException) && !ct.IsCancellationRequested)
        {
            if (await PingFailureAsync() is { } reason) throw new ProviderUnavailableException(
                $"the Docker engine at {docker.Configuration.EndpointBaseUri} stopped answering ({reason}); start it again, then run the command again (what was done is recorded)", e);
            throw;
        }
    }

    public Task GuardAsync(Func<Task> call, CancellationToken ct) => GuardAsync(async () =>
    {
        await call();
        return true;
    }, ct);

    /// <summary>Null when the engine answers; else why not, in one line.</summary>
    private async Task<string?> PingFailureAsync()
    {
        using var limit = new CancellationTokenSource(PingLimit);
        try
        {
            await docker.System.PingAsync(limit.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {PingLimit.TotalSeconds:0} s";
        }
        catch (Exception e)
        {
            var root = e;
            while (root.InnerException is not null) root = root.InnerException;
            return root.Message.ReplaceLineEndings(" ").Trim();
        }
    }
}
