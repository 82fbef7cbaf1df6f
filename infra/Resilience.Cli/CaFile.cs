using System.Text;
using Resilience.Model;
using Resilience.Platform;
using Resilience.Stack;

namespace Resilience.Cli;

/// <summary>The pair's CA certificate as a file an operator passes to <c>curl --cacert</c> (or a NATS client's CA option).</summary>
public static class CaFile
{
    public const string OutputKey = "caFile";

    /// <summary>Writes the deployed CA (the output <see cref="SecurityOutputs.CaCertificatePem"/>) to
    /// <c>&lt;stack directory&gt;/ca.pem</c>, 0644, and lists its path as <see cref="OutputKey"/> instead of the PEM text.</summary>
    public static IReadOnlyDictionary<string, StackOutput> Replace(IReadOnlyDictionary<string, StackOutput> outputs, string stackDirectory, Func<string, string> show)
    {
        if (!outputs.TryGetValue(SecurityOutputs.CaCertificatePem, out var pem)) return outputs;
        var path = Path.Combine(stackDirectory, "ca.pem");
        Directory.CreateDirectory(stackDirectory);
        AtomicFile.Write(path, Encoding.ASCII.GetBytes(pem.Value),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = outputs.Where(o => o.Key != SecurityOutputs.CaCertificatePem).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        result[OutputKey] = new StackOutput(show(path));
        return result;
    }
}
