namespace Resilience.Runtime.Security;

/// <summary>
/// Every request proves a user with basic auth before any endpoint runs: none or a wrong password 401 (with the
/// challenge curl answers), a user whose role may not call this endpoint 403.
/// </summary>
public static class BasicAuthMiddleware
{
    public const string Challenge = "Basic realm=\"resilience-runtime\", charset=\"UTF-8\"";

    public static void UseBasicAuth(this WebApplication app, RuntimeSecurity security) => app.Use(async (http, next) =>
    {
        var role = security.RoleOf(http.Request.Headers.Authorization);
        if (role is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = Challenge;
            await http.Response.WriteAsync("401 Unauthorized: basic auth with a user of this stack is required\n");
            return;
        }
        if (!EndpointRoles.For(http.Request.Method, http.Request.Path.Value ?? "").Contains(role.Value))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync($"403 Forbidden: the {role.Value.ToString().ToLowerInvariant()} role may not call {http.Request.Method} {http.Request.Path}\n");
            return;
        }
        await next(http);
    });
}
