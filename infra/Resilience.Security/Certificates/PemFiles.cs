using System.Text;
using Resilience.Platform;

namespace Resilience.Security.Certificates;

/// <summary>Where a service's TLS files were written: the paths its config names.</summary>
public sealed record PemPaths(string CertFile, string KeyFile);

/// <summary>Writes certificates and keys for a server to read: the key 0600 (only its owner, the server's user, may
/// read it), certificates 0644 (public). Atomic, so a server reloading mid-write never reads half a key.</summary>
public static class PemFiles
{
    public const UnixFileMode KeyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode CertificateMode = KeyMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <c>NAME.crt</c> and <c>NAME.key</c> in <paramref name="dir"/>.</summary>
    public static PemPaths Write(string dir, string name, PemPair pem, UnixUser? owner = null)
    {
        var paths = new PemPaths(Path.Combine(dir, name + ".crt"), Path.Combine(dir, name + ".key"));
        AtomicFile.Write(paths.KeyFile, Encoding.ASCII.GetBytes(pem.PrivateKey), KeyMode, owner);
        AtomicFile.Write(paths.CertFile, Encoding.ASCII.GetBytes(pem.Certificate), CertificateMode, owner);
        return paths;
    }

    /// <summary>Writes a CA bundle (one or several CA certificates) as <c>NAME.crt</c>.</summary>
    public static string WriteCertificate(string dir, string name, string certificatePem, UnixUser? owner = null)
    {
        var path = Path.Combine(dir, name + ".crt");
        AtomicFile.Write(path, Encoding.ASCII.GetBytes(certificatePem), CertificateMode, owner);
        return path;
    }
}
