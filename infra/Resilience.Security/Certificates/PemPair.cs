namespace Resilience.Security.Certificates;

/// <summary>A certificate and its private key as PEM text: the form the stack files keep (the key as a secret) and
/// the servers read. <see cref="ToString"/> never shows the key.</summary>
public sealed record PemPair(string Certificate, string PrivateKey)
{
    public override string ToString() => $"PemPair {{ Certificate = {Certificate.Length} chars, PrivateKey = <secret> }}";
}
