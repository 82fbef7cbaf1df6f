using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Cli.Commands;

/// <summary>`render`: writes every file the stack would deploy, plus resources.json listing the graph.</summary>
public static class RenderCommand
{
    public static Command Create(Option<string> stackOption)
    {
        var week = new Option<int?>("--week") { Description = "Render this rollout week (0-4; 0 is Phase 1) instead of the stack's" };
        var output = new Option<string>("--out") { Description = "Directory to write into", Required = true };
        var command = new Command("render", "Render the stack's config files and resource list without deploying") { stackOption, week, output };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var project = ProjectContext.Discover();
            var stack = parse.GetRequiredValue(stackOption);
            var graph = project.Graph(project.LoadConfig(stack), parse.GetValue(week));
            var outDir = Path.GetFullPath(parse.GetRequiredValue(output));
            var files = Write(graph, outDir);
            Console.WriteLine($"Rendered stack {stack}: {files} files and {graph.Resources.Count} resources into {outDir}");
            return 0;
        }));
        return command;
    }

    /// <summary>Writes files under OUT/files/… (mirroring the stack's host directory) and OUT/resources.json.</summary>
    public static int Write(ResourceGraph graph, string outDir)
    {
        var fileResources = graph.OfType("file:file").ToList();
        var root = CommonRoot(fileResources.Select(f => f.Inputs["path"]!.GetValue<string>()));
        foreach (var file in fileResources)
        {
            var target = Path.Combine(outDir, "files", Path.GetRelativePath(root, file.Inputs["path"]!.GetValue<string>()));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var content = Secret.Reveal(file.Inputs["content"])!;
            File.WriteAllText(target, content);
            if (Secret.IsSecret(file.Inputs["content"])) File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var list = new JsonObject
        {
            ["stack"] = graph.Stack,
            ["resources"] = new JsonArray(graph.Order.Select(r => (JsonNode)new JsonObject
            {
                ["urn"] = r.Urn,
                ["type"] = r.Type,
                ["name"] = r.Name,
                ["dependsOn"] = new JsonArray(r.DependsOn.Select(d => (JsonNode)d).ToArray()),
                ["protect"] = r.Options.Protect,
                ["inputs"] = Secret.Masked(r.Inputs),
            }).ToArray()),
            ["outputs"] = new JsonObject(graph.Outputs.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)(o.Value.Secret ? Secret.Mask : o.Value.Value)))),
        };
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "resources.json"), list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return fileResources.Count;
    }

    private static string CommonRoot(IEnumerable<string> paths)
    {
        string? root = null;
        foreach (var dir in paths.Select(p => Path.GetDirectoryName(p)!))
        {
            root ??= dir;
            while (!(dir + "/").StartsWith(root + "/", StringComparison.Ordinal)) root = Path.GetDirectoryName(root)!;
        }
        return root ?? "/";
    }
}
