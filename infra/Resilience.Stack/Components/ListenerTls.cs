using Resilience.Contracts;
using Resilience.Contracts.Files;
using Resilience.Contracts.Docker;
using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// The .NET listeners' side of issue 16 (the runtime and the demo fleet): with <see cref="StackSettings.Security"/> set
/// they serve HTTPS with the machine's certificate and ask for basic auth; without it they stay plain HTTP, as before.
/// </summary>
public static class ListenerTls
{
    /// <summary>The uid:gid of the demo fleet's container: its secret files are handed to it.</summary>
    public const string FleetOwner = "65534:65534";

    /// <summary>The runtime's scheme on this stack: https when the stack has security material.</summary>
    public static string Scheme(StackSettings s) => s.Security is null ? "http" : "https";

    /// <summary>The scheme of the agents' /health and /metrics: https when the demo fleet serves them with the material.
    /// A production stack's agents are its own processes: what they serve is theirs, plain HTTP as before.</summary>
    public static string AgentScheme(StackSettings s) => s.Security is not null && s.DemoFleet.Enabled ? "https" : "http";

    /// <summary>This machine's certificate and key.</summary>
    public static ServiceCertificate Machine(SecuritySettings security, string machine) =>
        security.Certificates.TryGetValue(machine, out var certificate)
            ? certificate
            : throw new InvalidOperationException($"the security material has no certificate for {machine}");

    /// <summary>
    /// <c>FOLDER/tls/machine.crt</c> (0644), <c>machine.key</c> (secret, 0600) and <c>ca.crt</c> (0644) under the stack's
    /// host folder, owned by <paramref name="owner"/> when given (a container that does not run as root).
    /// </summary>
    public static IReadOnlyList<Resource> DeclareFiles(StackBuilder b, SecuritySettings security, string folder, string? owner = null)
    {
        var machine = Machine(security, b.Settings.Machine);
        return
        [
            AddFile(b, $"{folder}/tls/machine.crt", machine.CertificatePem, secret: false, owner),
            AddFile(b, $"{folder}/tls/machine.key", machine.KeyPem, secret: true, owner),
            AddFile(b, $"{folder}/tls/ca.crt", security.CaCertificatesPem, secret: false, owner),
        ];
    }

    /// <summary>How the engine's readiness probe calls a listener of <paramref name="folder"/>: as the operator, trusting
    /// only the CA file <see cref="DeclareFiles"/> wrote there. Null without security material (plain HTTP).</summary>
    public static HttpProbeAuth? ProbeAuth(StackBuilder b, string folder)
    {
        if (b.Settings.Security is not { } security) return null;
        var operatorUser = security.User(SecurityRoles.Operator);
        return new HttpProbeAuth
        {
            CaFile = Path.Combine(b.HostDir, folder, "tls", "ca.crt"),
            User = operatorUser.User,
            Password = SecretText.Hidden(operatorUser.Password),
        };
    }

    /// <summary>What restarts a listener that reads its material once at start: the certificates (a new key always comes
    /// with a new certificate), never the key itself.</summary>
    public static string MaterialHash(StackSettings s) => s.Security is { } security
        ? StackBuilder.Hash([Machine(security, s.Machine).CertificatePem, security.CaCertificatesPem])
        : "";

    /// <summary><see cref="StackBuilder.AddFile"/> with an owner (and a mode: 0600 for a file that is not secret but
    /// that no one else should read).</summary>
    public static Resource AddFile(StackBuilder b, string relativePath, string content, bool secret, string? owner,
        IEnumerable<Resource>? dependsOn = null, string? validator = null, string? template = null, string? takeover = null, string? mode = null)
    {
        if (owner is null && mode is null) return b.AddFile(relativePath, content, secret, dependsOn, validator, template, takeover);
        return b.Add(relativePath, new FileInputs
        {
            Path = Path.Combine(b.HostDir, relativePath),
            Content = new SecretText(content, secret),
            Mode = mode ?? (secret ? "0600" : "0644"),
            Owner = owner,
            Validator = validator,
            Template = template is null ? null : Path.GetRelativePath(b.ProjectDir, template),
            Takeover = takeover,
        }, dependsOn);
    }
}
