namespace Resilience.Security.Passwords;

/// <summary>
/// bcrypt hashes for the listeners that verify passwords themselves: Prometheus, the Pushgateway and Alertmanager
/// (<c>basic_auth_users</c> of <c>--web.config.file</c>) and nats-server (a password starting with <c>$2</c>). The
/// <c>$2a$</c> form: Go's bcrypt (all four servers) reads <c>$2a$</c>, <c>$2b$</c> and <c>$2y$</c> alike, and <c>$2a$</c>
/// is what Go itself writes.
/// </summary>
public sealed class BcryptHasher(int cost = BcryptHasher.DefaultCost)
{
    /// <summary>
    /// 10: Prometheus and its siblings verify the password on every request (they cache nothing between requests in
    /// 2.42 / 1.5 / 0.25), so the cost is paid per scrape, remote write and push. Measured here (docs/security.md):
    /// ~50-60 ms per hash at 10, ~4× that at 12. Our passwords are 32 random characters (~190 bits), so the cost guards
    /// nothing an attacker could brute-force anyway; it only needs to be the common floor.
    /// </summary>
    public const int DefaultCost = 10;

    public int Cost { get; } = cost is >= 4 and <= 31 ? cost : throw new ArgumentOutOfRangeException(nameof(cost), "bcrypt's cost is 4-31");

    public string Hash(string password) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(Cost, 'a'));

    public static bool Verify(string password, string hash) => BCrypt.Net.BCrypt.Verify(password, hash);
}
