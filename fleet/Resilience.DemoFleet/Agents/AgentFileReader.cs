using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.DemoFleet.Agents;

/// <summary>
/// Reads the keys of a rendered agent file that the demo agent acts on: <c>push_target</c> (and checks <c>agent</c>),
/// and for an HTTPS target (issue 16) the pusher's credential and the CA it trusts:
/// <c>push_auth: {user, password, ca_file}</c> (templates/agent.yaml.sbn).
/// </summary>
public static class AgentFileReader
{
    public const string PushTargetKey = "push_target";
    public const string AgentKey = "agent";
    public const string PushAuthKey = "push_auth";
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string CaFileKey = "ca_file";

    /// <returns>The file's settings, or null when there is no file: a Phase-1 agent, scraped only.</returns>
    /// <exception cref="AgentFileException">The file exists but is unreadable, not YAML, or lacks a usable key.</exception>
    public static AgentFile? Read(string? path, string agent)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentFileException($"{path}: cannot read: {e.Message}");
        }
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(new MemoryStream(bytes));
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new AgentFileException($"{path}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new AgentFileException($"{path}: the file is empty or not a mapping ({PushTargetKey} is required)");
        }
        if (Value(root, AgentKey) is { } named && named != agent)
        {
            throw new AgentFileException($"{path}: {AgentKey}: '{named}' but this file is given to agent '{agent}'");
        }
        var target = Value(root, PushTargetKey) ?? throw new AgentFileException($"{path}: {PushTargetKey}: is required");
        if (!Uri.TryCreate(target, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new AgentFileException($"{path}: {PushTargetKey}: '{target}' is not an absolute http(s) URL");
        }
        PushCredential? auth = null;
        IReadOnlyList<X509Certificate2>? ca = null;
        if (Child(root, PushAuthKey) is { } pushAuth)
        {
            if (url.Scheme != Uri.UriSchemeHttps)
            {
                throw new AgentFileException($"{path}: {PushAuthKey}: the push target '{target}' is not https: the password would travel in clear");
            }
            auth = new PushCredential(
                Value(pushAuth, UserKey) ?? throw new AgentFileException($"{path}: {PushAuthKey}.{UserKey}: is required"),
                Value(pushAuth, PasswordKey) ?? throw new AgentFileException($"{path}: {PushAuthKey}.{PasswordKey}: is required"));
            if (Value(pushAuth, CaFileKey) is { } caFile)
            {
                var file = Path.GetFullPath(caFile, Path.GetDirectoryName(Path.GetFullPath(path))!);
                X509Certificate2Collection roots = [];
                try
                {
                    roots.ImportFromPemFile(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
                {
                    throw new AgentFileException($"{path}: {PushAuthKey}.{CaFileKey}: cannot read {file}: {e.Message}");
                }
                ca = roots.Count > 0 ? [.. roots] : throw new AgentFileException($"{path}: {PushAuthKey}.{CaFileKey}: {file} holds no certificate");
            }
        }
        return new AgentFile(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), url, auth, ca);
    }

    private static YamlMappingNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlMappingNode child ? child : null;

    private static string? Value(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : null;
}
