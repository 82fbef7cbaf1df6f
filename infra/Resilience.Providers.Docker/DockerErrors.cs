using System.Net;

namespace Resilience.Providers.Docker;

internal static class DockerErrors
{
    public static bool IsNotFound(Exception e) => e is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    /// <summary>Runs a Docker call and maps "not found" to null.</summary>
    public static async Task<T?> OrNullWhenMissing<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (DockerApiException e) when (IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Runs a Docker call whose target may already be gone, which counts as success.</summary>
    public static async Task IgnoreMissing(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (DockerApiException e) when (IsNotFound(e))
        {
        }
    }
}
