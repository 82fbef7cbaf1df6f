using Resilience.Operations.Gates;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests;

/// <summary>
/// How an operator reaches a deployed stack's HTTP listeners, read from its stack file as the CLI reads it: with TLS and
/// credential material, https trusting only the pair's CA and carrying the operator's basic auth (the CLI's own
/// <see cref="OperatorHttp"/> client); without it, plain http.
/// </summary>
public sealed class StackAccess : IDisposable
{
    private StackAccess(SecuritySettings? security)
    {
        Security = security;
        Http = new HttpClient(OperatorHttp.Handler(security)) { Timeout = TimeSpan.FromSeconds(5) };
    }

    public SecuritySettings? Security { get; }

    public HttpClient Http { get; }

    public string Scheme => Security is null ? "http" : "https";

    /// <param name="environment">The CLI's environment: where the stack file's passphrase comes from.</param>
    public static StackAccess Read(string projectDir, string stack, IReadOnlyDictionary<string, string> environment)
    {
        var config = StackConfig.Load(projectDir, stack);
        var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, name => environment.GetValueOrDefault(name))));
        return new StackAccess(settings.Security);
    }

    public string Url(string address, int port) => $"{Scheme}://{address}:{port}";

    /// <summary>A client that presents nothing and trusts nobody's certificate: what an anonymous caller on the LAN gets.</summary>
    public static HttpClient Anonymous() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    }) { Timeout = TimeSpan.FromSeconds(5) };

    public void Dispose() => Http.Dispose();
}
