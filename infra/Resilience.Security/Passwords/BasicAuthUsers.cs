using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Resilience.Security.Passwords;

/// <summary>A user a listener accepts: its name, its role (which endpoints it may call) and the bcrypt hash of its password.</summary>
public sealed record HashedUser(string User, string Role, string PasswordHash);

/// <summary>
/// Basic auth for the .NET listeners (the runtime, the demo fleet) against bcrypt hashes, as exporter-toolkit does for
/// Prometheus: bcrypt (constant time by construction) is paid once per user and password, after which the password's
/// SHA-256 is compared in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>). Without that cache a
/// cost-10 hash (~80 ms here) on every push would cost the runtime a core at 77 agents every 5 s. One bcrypt at a time:
/// many first requests with the same password wait for one check instead of each paying it.
/// </summary>
public sealed class BasicAuthUsers
{
    private readonly Dictionary<string, HashedUser> _users;
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);
    private readonly Lock _bcrypt = new();

    public BasicAuthUsers(IEnumerable<HashedUser> users)
    {
        _users = new Dictionary<string, HashedUser>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (!user.PasswordHash.StartsWith("$2", StringComparison.Ordinal))
                throw new ArgumentException($"user '{user.User}': the password hash is not a bcrypt hash ($2a$...)", nameof(users));
            if (!_users.TryAdd(user.User, user)) throw new ArgumentException($"user '{user.User}' is listed twice", nameof(users));
        }
    }

    /// <summary>The user an <c>Authorization</c> header proves, or null (no header, not basic auth, unknown user, wrong password).</summary>
    public HashedUser? Authenticate(string? authorization) =>
        TryParse(authorization, out var user, out var password) ? Authenticate(user, password) : null;

    public HashedUser? Authenticate(string user, string password)
    {
        if (!_users.TryGetValue(user, out var known)) return null;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue(user, out var good) && CryptographicOperations.FixedTimeEquals(digest, good)) return known;
        lock (_bcrypt)
        {
            if (_verified.TryGetValue(user, out good) && CryptographicOperations.FixedTimeEquals(digest, good)) return known;
            if (!BcryptHasher.Verify(password, known.PasswordHash)) return null;
            _verified[user] = digest;
            return known;
        }
    }

    /// <summary>Splits <c>Basic base64(user:password)</c>; false for anything else.</summary>
    public static bool TryParse(string? authorization, out string user, out string password)
    {
        user = password = "";
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return false;
        (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        return true;
    }
}
