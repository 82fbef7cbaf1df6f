using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Security;

/// <summary>
/// A stack's security material as its stack file holds it now, re-read whenever the file changes: what a client that
/// takes its credentials from its machine's files presents, so it follows a rotation round by round. Reading decrypts
/// with the passphrase (a PBKDF2 of a million iterations), so the file is read again only when it changed.
/// </summary>
public sealed class StackFileSecurity(string projectDir, string stack, IReadOnlyDictionary<string, string> environment)
{
    private readonly object _gate = new();
    private readonly string _file = Path.Combine(projectDir, $"Pulumi.{stack}.yaml");
    private (DateTime Written, long Length) _readAt;
    private SecuritySettings? _current;

    /// <summary>How many times a changed file was read.</summary>
    public int Reads { get; private set; }

    /// <summary>The material now; when the file is being rewritten (a round half-written), the last one read.</summary>
    public SecuritySettings Current
    {
        get
        {
            lock (_gate)
            {
                var info = new FileInfo(_file);
                var stamp = (info.LastWriteTimeUtc, info.Length);
                if (_current is not null && stamp == _readAt) return _current;
                try
                {
                    _current = Read();
                    _readAt = stamp;
                    Reads++;
                }
                catch (Exception e) when (_current is not null && e is ConfigException or IOException or FormatException)
                {
                }
                return _current ?? throw new InvalidOperationException($"{_file} holds no security material");
            }
        }
    }

    public UserCredential User(string role) => Current.User(role);

    private SecuritySettings Read()
    {
        var config = StackConfig.Load(projectDir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, name => environment.GetValueOrDefault(name)))).Security
            ?? throw new InvalidOperationException($"{_file} holds no security material");
    }
}
