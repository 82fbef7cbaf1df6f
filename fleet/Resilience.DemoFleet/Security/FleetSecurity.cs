using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Resilience.DemoFleet.Contracts;
using Resilience.Security.Passwords;

namespace Resilience.DemoFleet.Security;

/// <summary>
/// The fleet's <c>https</c> section, loaded: the certificate every port serves and the users that may call. Who may
/// call what: an agent's /health and /metrics, the operator and the hubs (they scrape them; the runtime probes /health
/// with its hub credential); the control API, which fails, hangs and restarts agents, the operator only.
/// </summary>
public sealed class FleetSecurity(X509Certificate2 certificate, BasicAuthUsers users)
{
    public const string Challenge = "Basic realm=\"resilience-demo-fleet\", charset=\"UTF-8\"";
    private static readonly string[] AgentRoles = [FleetHttps.Operator, FleetHttps.Hub];
    private static readonly string[] ControlRoles = [FleetHttps.Operator];

    public X509Certificate2 Certificate { get; } = certificate;

    /// <exception cref="FleetConfigException">The certificate or key cannot be loaded (named with the config's keys).</exception>
    public static FleetSecurity Load(FleetHttps https)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(https.CertFile, https.KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new FleetConfigException($"{FleetConfigYaml.Keys.Https}.{FleetConfigYaml.Keys.CertFile}/{FleetConfigYaml.Keys.KeyFile}: cannot load {https.CertFile} with {https.KeyFile}: {e.Message}");
        }
        return new FleetSecurity(certificate, new BasicAuthUsers(https.Users.Select(u => new HashedUser(u.User, u.Role, u.PasswordHash))));
    }

    public static IReadOnlyList<string> RolesFor(bool agentPort) => agentPort ? AgentRoles : ControlRoles;

    /// <summary>Answers 401 or 403 and returns false when the request may not go on.</summary>
    public async Task<bool> AdmitAsync(HttpContext http, bool agentPort)
    {
        var user = users.Authenticate(http.Request.Headers.Authorization);
        if (user is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = Challenge;
            await http.Response.WriteAsync("401 Unauthorized: basic auth with a user of this stack is required\n");
            return false;
        }
        if (!RolesFor(agentPort).Contains(user.Role))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync($"403 Forbidden: the {user.Role} role may not call {(agentPort ? "an agent" : "the control API")}\n");
            return false;
        }
        return true;
    }
}
