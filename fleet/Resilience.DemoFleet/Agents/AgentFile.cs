namespace Resilience.DemoFleet.Agents;

/// <summary>What an agent took from its rendered agent file (templates/agent.yaml.sbn) when it (re)started.</summary>
/// <param name="Sha256">The file's content hash (lower-case hex): which file the agent runs on.</param>
/// <param name="PushTarget">The machine's failover runtime, Pushgateway API, with this agent's job.</param>
/// <param name="PushAuth">The pusher's credential (<c>push_auth.user</c>/<c>password</c>), sent only over HTTPS.</param>
/// <param name="PushCa">The CA(s) the push target's certificate must chain to (<c>push_auth.ca_file</c>); null: the system's.</param>
public sealed record AgentFile(string Path, string Sha256, Uri PushTarget, PushCredential? PushAuth = null, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? PushCa = null);

/// <summary>A user and password for basic auth. <see cref="ToString"/> never shows the password.</summary>
public sealed record PushCredential(string User, string Password)
{
    public string Authorization() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public override string ToString() => $"PushCredential {{ User = {User}, Password = *** }}";
}
