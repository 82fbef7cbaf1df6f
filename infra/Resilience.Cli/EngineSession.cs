using System.Diagnostics;
using System.Text.Json.Nodes;
using Resilience.Engine;
using Resilience.Engine.State;
using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>Everything one engine command needs: the project, the stack's config and graph, and the engine.</summary>
public sealed class EngineSession
{
    public const string BackendVariable = "RESILIENCE_BACKEND_URL";

    private EngineSession(ProjectContext project, StackConfig config, StackEngine engine, DirectoryBackend backend)
    {
        Project = project;
        Config = config;
        Engine = engine;
        Backend = backend;
    }

    public ProjectContext Project { get; }
    public StackConfig Config { get; }
    public StackEngine Engine { get; }
    public DirectoryBackend Backend { get; }
    public string Stack => Config.Stack;

    public static EngineSession Open(string stack, string? backendUrl)
    {
        var project = ProjectContext.Discover();
        var config = project.LoadConfig(stack);
        var backend = new DirectoryBackend(BackendPath(project, backendUrl));
        var protector = PassphraseProtector.For(config);
        var engine = new StackEngine(backend, stack, ProviderSet.Create(stateEncryptsSecrets: protector is not null), protector);
        return new EngineSession(project, config, engine, backend);
    }

    public ResourceGraph DesiredGraph() => Project.Graph(Config);

    /// <summary>The stack's config as recorded in history: values as written (secure ones stay ciphertext).</summary>
    public JsonObject ConfigSnapshot() => Operations.Rollback.ConfigSnapshot.Of(Config);

    public string? GitCommit()
    {
        try
        {
            var info = new ProcessStartInfo("git", ["-C", Project.Directory, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(info);
            if (git is null) return null;
            var head = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && head.Length == 40 ? head : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>--backend, else RESILIENCE_BACKEND_URL, else .resilience/ in the project (git-ignored).</summary>
    private static string BackendPath(ProjectContext project, string? url)
    {
        url ??= Environment.GetEnvironmentVariable(BackendVariable);
        if (string.IsNullOrEmpty(url)) return Path.Combine(project.Directory, ".resilience");
        if (!url.StartsWith("file://", StringComparison.Ordinal))
            throw new UsageException("--backend", $"'{url}': only file:// backends are supported (e.g. file:///var/lib/resilience)");
        var path = url["file://".Length..];
        return Path.IsPathRooted(path) ? path : Path.Combine(project.Directory, path);
    }
}
