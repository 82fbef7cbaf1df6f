using System.Text.Json.Serialization;

namespace Resilience.Contracts.JetStream;

/// <summary>
/// Where a stream or consumer lives: the server, the credentials, the JetStream domain and the CA its TLS chains to. The address of an object,
/// not part of it: changing it never replaces the object (a new address of the same server would otherwise delete
/// the stream through the old one).
/// </summary>
public abstract record JetStreamInputs : IValidatedInputs
{
    /// <summary>nats://host:port, several joined by commas.</summary>
    [JsonPropertyName("server"), JsonPropertyOrder(-1)]
    public required string Server { get; init; }

    [JsonPropertyName("user"), JsonPropertyOrder(1)]
    public string? User { get; init; }

    [JsonPropertyName("password"), JsonPropertyOrder(2), Secret]
    public SecretText? Password { get; init; }

    [JsonPropertyName("domain"), JsonPropertyOrder(3)]
    public string? Domain { get; init; }

    /// <summary>The CA certificates (PEM) the server's certificate must chain to: set, the connection is TLS and verified.</summary>
    [JsonPropertyName("caCertificate"), JsonPropertyOrder(4)]
    public string? CaCertificate { get; init; }

    public virtual void Validate(InputFailures failures)
    {
        if (Server is { Length: > 0 } && !Server.Split(',').All(IsNatsUrl))
            failures.Add(nameof(Server), $"'{Server}' is not a nats://host:port URL (several may be joined by commas)");
        if (Domain is { } domain && domain.Any(c => c is '.' or '*' or '>' || char.IsWhiteSpace(c)))
            failures.Add(nameof(Domain), $"'{domain}' is not a JetStream domain (no dots, wildcards or spaces)");
    }

    /// <summary>A stream or consumer name: no spaces, dots, '*', '>', '/' or '\'.</summary>
    public static bool IsValidName(string name) => !name.Any(c => c is '.' or '*' or '>' or '/' or '\\' || char.IsWhiteSpace(c));

    private static bool IsNatsUrl(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "nats" or "tls" && uri.Port > 0;
}
