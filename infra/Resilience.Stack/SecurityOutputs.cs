using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack;

/// <summary>
/// What an operator needs to reach a secured stack, as stack outputs (recorded with each applied version, so
/// `stack output` shows what is deployed): the pair's CA (written to a file by `stack output`, for curl --cacert),
/// the operator's and the NATS admin's users, and beside each HTTP URL output <c>X…Url</c> a secret
/// <c>X…CredentialsUrl</c> carrying the operator's user and password (as natsCredentialsUrl does for NATS).
/// Nothing is added while the stack has no material.
/// </summary>
public static class SecurityOutputs
{
    /// <summary>The CA certificate (PEM): `stack output` writes it to a file and shows the file's path.</summary>
    public const string CaCertificatePem = "caCertificatePem";

    public const string CredentialsUrlSuffix = "CredentialsUrl";

    public static ResourceGraph Add(ResourceGraph graph, StackSettings settings)
    {
        if (settings.Security is not { } security) return graph;
        var outputs = new Dictionary<string, StackOutput>(graph.Outputs, StringComparer.Ordinal)
        {
            [CaCertificatePem] = new(security.CaCertificatesPem),
        };
        var op = security.User(SecurityRoles.Operator);
        outputs["operatorUser"] = new(op.User);
        outputs["operatorPassword"] = new(op.Password, Secret: true);
        var admin = security.User(SecurityRoles.NatsAdmin);
        outputs["natsAdminUser"] = new(admin.User);
        outputs["natsAdminPassword"] = new(admin.Password, Secret: true);
        foreach (var (key, output) in graph.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (output.Secret || !key.EndsWith("Url", StringComparison.Ordinal) || key.EndsWith(CredentialsUrlSuffix, StringComparison.Ordinal)) continue;
            if (!Uri.TryCreate(output.Value, UriKind.Absolute, out var url) || url.UserInfo.Length > 0) continue;
            var user = url.Scheme is "http" or "https" ? op : url.Scheme is "nats" or "tls" ? admin : null;
            if (user is null) continue;
            // The NATS component may name its own credentials URL (natsCredentialsUrl): it wins.
            outputs.TryAdd(key[..^"Url".Length] + CredentialsUrlSuffix, new(WithUser(url, user), Secret: true));
        }
        return new ResourceGraph(graph.Stack, graph.Resources, outputs, graph.Warnings, graph.DataPaths);
    }

    /// <summary>Passwords are letters and digits (<c>Credential.Alphabet</c>): nothing to escape in a URL's user-info.</summary>
    private static string WithUser(Uri url, UserCredential user)
    {
        var text = url.OriginalString;
        var afterScheme = text.IndexOf("://", StringComparison.Ordinal) + 3;
        return $"{text[..afterScheme]}{user.User}:{user.Password}@{text[afterScheme..]}";
    }
}
