using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;

namespace Resilience.Runtime.Security;

/// <summary>
/// The <c>https</c> section, loaded: the certificate the listener serves, the CA(s) outgoing HTTPS trusts, the users
/// that may call and the credential the runtime presents. Loaded once at start, before the runtime gives root up: the
/// key file is 0600 and belongs to whoever deployed it.
/// </summary>
public sealed class RuntimeSecurity
{
    private RuntimeSecurity(X509Certificate2 server, CaTrust trust, BasicAuthUsers users, IReadOnlyDictionary<string, HttpRole> roles, HttpCredentials? client)
    {
        ServerCertificate = server;
        Trust = trust;
        Users = users;
        Roles = roles;
        Client = client;
    }

    public X509Certificate2 ServerCertificate { get; }
    public CaTrust Trust { get; }
    public BasicAuthUsers Users { get; }
    public IReadOnlyDictionary<string, HttpRole> Roles { get; }
    public HttpCredentials? Client { get; }

    /// <summary>The <c>Authorization</c> header of <see cref="Client"/>, if any.</summary>
    public AuthenticationHeaderValue? ClientAuthorization => Client is null
        ? null
        : AuthenticationHeaderValue.Parse(new Credential(Client.User, Client.Password).BasicAuthorization());

    /// <param name="source">The config file, named in errors.</param>
    /// <exception cref="ConfigException">A file is missing or not the PEM it should be (named with its key).</exception>
    public static RuntimeSecurity Load(HttpsConfig https, string source)
    {
        X509Certificate2 server;
        try
        {
            server = X509Certificate2.CreateFromPemFile(https.CertFile, https.KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ConfigException($"{source}: https.certFile/https.keyFile: cannot load {https.CertFile} with {https.KeyFile}: {e.Message}");
        }
        if (!server.HasPrivateKey) throw new ConfigException($"{source}: https.keyFile: {https.KeyFile} holds no key for {https.CertFile}");
        X509Certificate2Collection roots = [];
        try
        {
            roots.ImportFromPemFile(https.CaFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigException($"{source}: https.caFile: cannot read {https.CaFile}: {e.Message}");
        }
        if (roots.Count == 0) throw new ConfigException($"{source}: https.caFile: {https.CaFile} holds no certificate");
        var users = https.Users.Select(u => new HashedUser(u.User, u.Role.ToString(), u.PasswordHash)).ToList();
        return new RuntimeSecurity(server, new CaTrust([.. roots]), new BasicAuthUsers(users),
            https.Users.ToDictionary(u => u.User, u => u.Role, StringComparer.Ordinal), https.Client);
    }

    /// <summary>The role the request's basic auth proves, or null.</summary>
    public HttpRole? RoleOf(string? authorization) =>
        Users.Authenticate(authorization) is { } user ? Roles[user.User] : null;
}
