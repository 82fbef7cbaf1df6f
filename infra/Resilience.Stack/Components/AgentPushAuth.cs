using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// What an agent file carries to push over TLS once the stack has security material: the pusher role's user and
/// password and the pair's CA (a host file beside the stack's files, <see cref="CaPath"/>). An agent file with it is a
/// secret (0600), given to nobody when the demo fleet (which runs as nobody) reads it.
/// </summary>
public sealed record AgentPushAuth(string User, string Password, string CaFile)
{
    /// <summary>The CA file for agents, relative to the stack's folder.</summary>
    public const string CaPath = "tls/ca.pem";

    public override string ToString() => $"AgentPushAuth {{ User = {User}, Password = <secret>, CaFile = {CaFile} }}";

    /// <summary>The stack's CA file for agents, declared once per stack; null without security material.</summary>
    public static Resource? DeclareCa(StackBuilder b) =>
        b.Settings.Security is { } security ? b.AddFile(CaPath, security.CaCertificatesPem) : null;

    /// <returns>Null without security material, or when <paramref name="pushUrl"/> is not https: a password is never
    /// written beside a URL that would send it in the clear.</returns>
    public static AgentPushAuth? For(StackBuilder b, string pushUrl)
    {
        if (b.Settings.Security is not { } security || !pushUrl.StartsWith("https://", StringComparison.Ordinal)) return null;
        var pusher = security.User(SecurityRoles.Pusher);
        return new AgentPushAuth(pusher.User, pusher.Password, Path.Combine(b.HostDir, CaPath));
    }

    /// <summary>The owner of a secret agent file: nobody when the demo fleet reads it, else whoever writes it.</summary>
    public static string? Owner(StackSettings s) => s.DemoFleet.Enabled ? WebListener.Nobody : null;
}
