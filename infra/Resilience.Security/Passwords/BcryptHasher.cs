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
    /// 10. Measured on Prometheus 2.42 (bench/security, docs/security.md): the server pays one bcrypt per distinct
    /// user and password it sees (~80 ms at 10, ~330 ms at 12 on this loaded 2-core machine) and then answers from a
    /// cache (kept-alive requests p50 0.4 ms at either cost, as with TLS alone), so the cost shows on the first request
    /// after a start or a rotation, and on every new guess of an attacker. Our passwords are 32 random characters (~190
    /// bits), which no cost makes guessable anyway: 10 is the common floor, cheap for the servers and for <c>up</c>.
    /// </summary>
    public const int DefaultCost = 10;

    public int Cost { get; } = cost is >= 4 and <= 31 ? cost : throw new ArgumentOutOfRangeException(nameof(cost), "bcrypt's cost is 4-31");

    public string Hash(string password) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(Cost, 'a'));

    public static bool Verify(string password, string hash) => BCrypt.Net.BCrypt.Verify(password, hash);
}
