using System.Diagnostics;
using Resilience.Contracts.Files;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.Providers.Files;

/// <summary>
/// Runs the checker a file's service would run on its content (<see cref="FileValidators"/>), on a private temp copy
/// named like the file, so that the verdict quotes the service's own words and nothing is written where it reads.
/// </summary>
public static class ContentValidator
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>The validator's message when it refuses <paramref name="content"/>; null when it accepts it.</summary>
    public static string? Refusal(string validator, string path, string content)
    {
        if (validator == FileValidators.Yaml) return YamlRefusal(content);

        // CreateTempSubdirectory makes the directory 0700: a secret config (nats.conf with credentials) stays private.
        var dir = Directory.CreateTempSubdirectory("resilience-check-");
        try
        {
            var copy = Path.Combine(dir.FullName, Path.GetFileName(path));
            if (validator == FileValidators.NatsConfig) content = NatsTlsStandIns.Replace(content, dir.FullName);
            File.WriteAllText(copy, content);
            // A Prometheus config names its rules by a glob relative to itself ("rules/*.yml"); in the empty temp dir
            // it matches nothing, so the config is checked alone and each rule file by its own promtool-rules check.
            var (tool, args) = validator switch
            {
                FileValidators.PrometheusConfig => ("promtool", new[] { "check", "config", copy }),
                FileValidators.PrometheusRules => ("promtool", ["check", "rules", copy]),
                FileValidators.NatsConfig => ("nats-server", ["-t", "-c", copy]),
                FileValidators.AlertmanagerConfig => ("amtool", ["check-config", copy]),
                _ => throw new ArgumentException($"unknown validator '{validator}'", nameof(validator)),
            };
            var refusal = Run(tool, args);
            return refusal?.Replace(copy, path, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string? YamlRefusal(string content)
    {
        try
        {
            new YamlStream().Load(new StringReader(content));
            return null;
        }
        catch (YamlException e)
        {
            return $"the YAML parser: line {e.Start.Line}: {e.Message}";
        }
    }

    /// <summary>A line without the "Checking FILE" banners; amtool puts its refusal on the banner's line ("Checking 'f'  FAILED: why").</summary>
    private static string Verdict(string line)
    {
        if (!line.StartsWith("Checking ", StringComparison.Ordinal)) return line;
        var failed = line.IndexOf("FAILED:", StringComparison.Ordinal);
        return failed < 0 ? "" : line[failed..];
    }

    private static string? Run(string tool, string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{tool} is not installed (not on PATH): it checks this file before it is written";
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return $"{tool} gave no verdict within {Timeout.TotalSeconds:0} s";
            }
            if (process.ExitCode == 0) return null;
            var lines = (stderr.Result + "\n" + stdout.Result).Split('\n')
                .Select(l => Verdict(l.Trim()))
                .Where(l => l.Length > 0)
                .ToList();
            return $"{tool}: " + (lines.Count == 0 ? $"exit code {process.ExitCode}" : string.Join(" ", lines));
        }
    }
}
