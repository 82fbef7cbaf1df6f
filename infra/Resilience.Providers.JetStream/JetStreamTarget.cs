using NATS.Client.Core;
using Resilience.Contracts;
using Resilience.Contracts.JetStream;
using Resilience.Security.Certificates;

namespace Resilience.Providers.JetStream;

/// <summary>Where a stream or consumer lives: the server's address, the credentials and the JetStream domain.</summary>
/// <remarks>This is the address of an object, not part of it: changing it never replaces the object.</remarks>
public sealed record JetStreamTarget(string Server, string? User, string? Password, string? Domain, string? CaCertificate = null)
{
    private static readonly ResourceContract Contract = ResourceContract.Of<StreamInputs>();

    public static readonly string ServerKey = Contract.Key(nameof(JetStreamInputs.Server));
    public static readonly string UserKey = Contract.Key(nameof(JetStreamInputs.User));
    public static readonly string PasswordKey = Contract.Key(nameof(JetStreamInputs.Password));
    public static readonly string DomainKey = Contract.Key(nameof(JetStreamInputs.Domain));
    public static readonly string CaCertificateKey = Contract.Key(nameof(JetStreamInputs.CaCertificate));

    public static readonly IReadOnlyList<string> Keys = [ServerKey, UserKey, PasswordKey, DomainKey, CaCertificateKey];

    internal static JetStreamTarget From(JetStreamInputs inputs) =>
        new(inputs.Server, NullIfEmpty(inputs.User), inputs.Password?.Value, NullIfEmpty(inputs.Domain), NullIfEmpty(inputs.CaCertificate));

    /// <summary>The keys whose values differ from <paramref name="other"/>'s.</summary>
    public IEnumerable<string> ChangedKeys(JetStreamTarget other)
    {
        if (Server != other.Server) yield return ServerKey;
        if (User != other.User) yield return UserKey;
        if (Password != other.Password) yield return PasswordKey;
        if (Domain != other.Domain) yield return DomainKey;
        if (CaCertificate != other.CaCertificate) yield return CaCertificateKey;
    }

    /// <summary>Names the server (never the password) for messages.</summary>
    public override string ToString() => Domain is null ? Server : $"{Server} (JetStream domain {Domain})";

    internal NatsOpts ConnectionOptions(TimeSpan timeout) => new()
    {
        Url = Server,
        Name = "resilience",
        AuthOpts = User is null && Password is null
            ? NatsAuthOpts.Default
            : new NatsAuthOpts { Username = User, Password = Password },
        // TLS required; the server's chain must end at this CA and name the address dialled. (NATS.Net 3.3.2 reads
        // CaFile as a path only, so the PEM is checked here.)
        TlsOpts = CaCertificate is null ? NatsTlsOpts.Default : new NatsTlsOpts
        {
            Mode = TlsMode.Require,
            ConfigureClientAuthentication = tls =>
            {
                tls.RemoteCertificateValidationCallback = CaTrust.FromPem(CaCertificate).Callback;
                return ValueTask.CompletedTask;
            },
        },
        ConnectTimeout = timeout,
        RequestTimeout = timeout,
        MaxReconnectRetry = 0,
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
