using NATS.Client.Core;
using Resilience.Security.Certificates;
using Resilience.Stack.Components;
using Resilience.Stack.Config;

namespace Resilience.Operations;

/// <summary>
/// How the operator's tool (status, gates) connects to the stacks' NATS servers: with the security material, over TLS
/// verified against the pair's CA as the operator's NATS user (<see cref="SecurityRoles.NatsAdmin"/>); else with
/// natsPassword when it is set; else anonymously. The password never goes into a URL.
/// </summary>
public sealed record NatsLogin(string? User, string? Password, string? CaCertificate)
{
    public static readonly NatsLogin Anonymous = new(null, null, null);

    public static NatsLogin From(StackSettings s) =>
        NatsSecurity.Of(s) is { } security ? new NatsLogin(security.Admin.User, security.Admin.Password, security.CaPem)
        : s.NatsPassword is null ? Anonymous
        : new NatsLogin(s.NatsUser, s.NatsPassword, null);

    public NatsOpts Apply(NatsOpts opts) => opts with
    {
        AuthOpts = Password is null ? NatsAuthOpts.Default : new NatsAuthOpts { Username = User, Password = Password },
        // TLS required; the server's chain must end at the pair's CA and name the address dialled. (NATS.Net 3.3.2
        // reads CaFile as a path only, so the PEM is checked here.)
        TlsOpts = CaCertificate is null ? NatsTlsOpts.Default : new NatsTlsOpts
        {
            Mode = TlsMode.Require,
            ConfigureClientAuthentication = tls =>
            {
                tls.RemoteCertificateValidationCallback = CaTrust.FromPem(CaCertificate).Callback;
                return ValueTask.CompletedTask;
            },
        },
    };

    public override string ToString() => $"NatsLogin {{ User = {User}, Tls = {CaCertificate is not null} }}";
}
