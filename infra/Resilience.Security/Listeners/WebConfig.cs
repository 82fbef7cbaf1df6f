using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Resilience.Security.Listeners;

/// <summary>How a Prometheus-family server requires its clients to present a certificate (exporter-toolkit's
/// <c>client_auth_type</c>).</summary>
public enum ClientCertificates
{
    /// <summary>Basic auth alone identifies the caller.</summary>
    NotAsked,

    /// <summary>Every caller must present a certificate signed by the client CA (mutual TLS).</summary>
    Required,
}

/// <summary>The TLS half of a web config: paths as the server sees them (inside its container).</summary>
public sealed record WebTls(string CertFile, string KeyFile, string? ClientCaFile = null, ClientCertificates ClientCertificates = ClientCertificates.NotAsked);

/// <summary>
/// The <c>--web.config.file</c> of Prometheus 2.42, the Pushgateway 1.5 and Alertmanager 0.25 (exporter-toolkit):
/// TLS, and the users allowed in with their bcrypt hashes. Several users are the rotation: old and new are both
/// accepted while callers switch, then the old one is removed.
/// </summary>
public sealed record WebConfig(WebTls? Tls, IReadOnlyDictionary<string, string> BcryptHashByUser)
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .DisableAliases()
        .Build();

    /// <summary>The file's YAML. Every hash is checked to be bcrypt: a plain password there would be refused by the
    /// server at start-up, or worse, be a secret in a file the caller thought held only hashes.</summary>
    public string ToYaml()
    {
        foreach (var (user, hash) in BcryptHashByUser)
        {
            if (!hash.StartsWith("$2", StringComparison.Ordinal) || hash.Length != 60)
            {
                throw new ArgumentException($"basic_auth_users.{user}: not a bcrypt hash (a password must never be written here)");
            }
        }
        if (Tls is { ClientCertificates: ClientCertificates.Required, ClientCaFile: null })
        {
            throw new ArgumentException("tls_server_config.client_ca_file: required when client certificates are");
        }
        var document = new Document
        {
            TlsServerConfig = Tls is null ? null : new TlsServerConfig
            {
                CertFile = Tls.CertFile,
                KeyFile = Tls.KeyFile,
                ClientCaFile = Tls.ClientCaFile,
                ClientAuthType = Tls.ClientCertificates == ClientCertificates.Required ? "RequireAndVerifyClientCert" : null,
                MinVersion = "TLS12",
            },
            BasicAuthUsers = BcryptHashByUser.Count == 0 ? null : new SortedDictionary<string, string>(BcryptHashByUser.ToDictionary(), StringComparer.Ordinal),
        };
        return "# Rendered by resilience: TLS and the users allowed in (bcrypt hashes only).\n" + Serializer.Serialize(document);
    }

    private sealed class Document
    {
        [YamlMember(Alias = "tls_server_config")]
        public TlsServerConfig? TlsServerConfig { get; init; }

        [YamlMember(Alias = "basic_auth_users")]
        public SortedDictionary<string, string>? BasicAuthUsers { get; init; }
    }

    private sealed class TlsServerConfig
    {
        [YamlMember(Alias = "cert_file", ScalarStyle = ScalarStyle.DoubleQuoted)]
        public required string CertFile { get; init; }

        [YamlMember(Alias = "key_file", ScalarStyle = ScalarStyle.DoubleQuoted)]
        public required string KeyFile { get; init; }

        [YamlMember(Alias = "client_auth_type")]
        public string? ClientAuthType { get; init; }

        [YamlMember(Alias = "client_ca_file", ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string? ClientCaFile { get; init; }

        [YamlMember(Alias = "min_version")]
        public string? MinVersion { get; init; }
    }
}
