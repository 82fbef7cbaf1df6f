using System.Security.Cryptography;

namespace Resilience.Security.Passwords;

/// <summary>A user and password a client presents. <see cref="ToString"/> never shows the password.</summary>
public sealed record Credential(string User, string Password)
{
    /// <summary>Letters and digits only: safe unquoted in a URL's user-info, YAML, a NATS config and an HTTP header,
    /// so no writer of these files has an escaping rule to get wrong.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>32 characters of 62: ~190 bits.</summary>
    public const int DefaultLength = 32;

    public static Credential Generate(string user, int length = DefaultLength) => new(user, RandomPassword(length));

    public static string RandomPassword(int length = DefaultLength) =>
        length >= 16 ? RandomNumberGenerator.GetString(Alphabet, length) : throw new ArgumentOutOfRangeException(nameof(length), "at least 16 characters");

    /// <summary>The value of an HTTP <c>Authorization</c> header for basic auth.</summary>
    public string BasicAuthorization() => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public override string ToString() => $"Credential {{ User = {User}, Password = <secret> }}";
}
