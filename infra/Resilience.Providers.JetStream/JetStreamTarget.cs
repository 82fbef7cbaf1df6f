using NATS.Client.Core;

namespace Resilience.Providers.JetStream;

/// <summary>Where a stream or consumer lives: the server's address, the credentials and the JetStream domain.</summary>
/// <remarks>This is the address of an object, not part of it: changing it never replaces the object.</remarks>
public sealed record JetStreamTarget(string Server, string? User, string? Password, string? Domain)
{
    public const string ServerKey = "server";
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string DomainKey = "domain";

    public static readonly IReadOnlyList<string> Keys = [ServerKey, UserKey, PasswordKey, DomainKey];

    internal static JetStreamTarget Read(InputReader inputs)
    {
        var server = inputs.RequiredString(ServerKey);
        if (server.Length > 0 && !server.Split(',').All(IsNatsUrl))
        {
            inputs.Problem(ServerKey, $"'{server}' is not a nats://host:port URL (several may be joined by commas)");
        }
        var domain = inputs.OptionalString(DomainKey);
        if (domain is not null && domain.Any(c => c is '.' or '*' or '>' || char.IsWhiteSpace(c)))
        {
            inputs.Problem(DomainKey, $"'{domain}' is not a JetStream domain (no dots, wildcards or spaces)");
        }
        return new JetStreamTarget(server, inputs.OptionalString(UserKey), inputs.OptionalSecretOrString(PasswordKey), domain);
    }

    /// <summary>The keys whose values differ from <paramref name="other"/>'s.</summary>
    public IEnumerable<string> ChangedKeys(JetStreamTarget other)
    {
        if (Server != other.Server) yield return ServerKey;
        if (User != other.User) yield return UserKey;
        if (Password != other.Password) yield return PasswordKey;
        if (Domain != other.Domain) yield return DomainKey;
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
        ConnectTimeout = timeout,
        RequestTimeout = timeout,
        MaxReconnectRetry = 0,
    };

    private static bool IsNatsUrl(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "nats" or "tls" && uri.Port > 0;
}
