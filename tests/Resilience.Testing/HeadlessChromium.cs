using System.Diagnostics;

namespace Resilience.Testing;

/// <summary>
/// Debian's chromium without a screen: the DOM of a page after it loaded and a screenshot, as a person's browser
/// renders them. Each call gets a profile folder of its own (chromium locks its profile), removed afterwards.
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The serialized DOM of <paramref name="url"/> once loaded (chromium's --dump-dom).</summary>
    /// <param name="trust">Flags that make chromium trust a private CA's server (<see cref="TrustingKeys"/>).</param>
    public static async Task<string> DumpDomAsync(string url, params string[] trust)
    {
        var (exit, stdout, stderr) = await RunAsync(["--dump-dom", .. trust, url]);
        if (exit != 0 || stdout.Length == 0) throw new InvalidOperationException($"chromium --dump-dom {url}: exit {exit}: {stderr}");
        return stdout;
    }

    /// <summary>Writes a PNG of <paramref name="url"/> at the given window size to <paramref name="path"/>.</summary>
    public static async Task ScreenshotAsync(string url, string path, string[]? trust = null, int width = 1400, int height = 1800)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.Delete(path);
        var (exit, _, stderr) = await RunAsync([$"--screenshot={Path.GetFullPath(path)}", $"--window-size={width},{height}", .. trust ?? [], url]);
        if (exit != 0 || !File.Exists(path)) throw new InvalidOperationException($"chromium --screenshot {url}: exit {exit}: {stderr}");
    }

    /// <summary>
    /// Chromium's flag that accepts a server whose certificate carries one of these public keys (PEM certificates), as a
    /// person's browser accepts a private CA it was told to trust; any other certificate error still fails the page.
    /// </summary>
    public static string[] TrustingKeys(params string[] certificatesPem) =>
    [
        "--ignore-certificate-errors-spki-list=" + string.Join(',', certificatesPem.Select(pem =>
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
            return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        })),
    ];

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("resilience-chromium-").FullName;
        try
        {
            var info = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}" }.Concat(args))
                info.ArgumentList.Add(a);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start chromium");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds:F0} s");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}
