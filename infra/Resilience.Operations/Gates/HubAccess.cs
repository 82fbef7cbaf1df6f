using System.Security.Cryptography.X509Certificates;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Operations.Gates;

/// <summary>How the CLI calls a hub that serves TLS with basic auth: as the operator, trusting only the pair's CA(s).</summary>
public sealed record HubAccess(Credential Operator, string CaCertificatesPem)
{
    public static HubAccess For(SecuritySettings security)
    {
        var user = security.User(SecurityRoles.Operator);
        return new HubAccess(new Credential(user.User, user.Password), security.CaCertificatesPem);
    }

    /// <summary>A client that trusts only the CA(s) and presents the operator on every request.</summary>
    public HttpClient Client(TimeSpan timeout)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(CaCertificatesPem);
        var client = new HttpClient(new CaTrust([.. roots]).Handler()) { Timeout = timeout };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", Operator.BasicAuthorization());
        return client;
    }

    public override string ToString() => $"HubAccess {{ Operator = {Operator.User}, CA }}";
}
