using System.Text.Json.Nodes;
using Resilience.Engine.Secrets;
using Resilience.Model;

namespace Resilience.Engine.History;

/// <summary>A desired graph as JSON, with its secrets in stored form, and back.</summary>
public sealed class GraphCodec(SecretCodec codec)
{
    public JsonObject ToJson(ResourceGraph graph)
    {
        var outputs = new JsonObject();
        foreach (var (name, output) in graph.Outputs)
        {
            outputs[name] = new JsonObject
            {
                ["value"] = output.Secret ? codec.Encode(Secret.Wrap(output.Value)) : JsonValue.Create(output.Value),
                ["secret"] = output.Secret,
            };
        }
        return new JsonObject
        {
            ["stack"] = graph.Stack,
            ["resources"] = new JsonArray(graph.Resources.Select(r => (JsonNode?)new JsonObject
            {
                ["type"] = r.Type,
                ["name"] = r.Name,
                ["inputs"] = codec.Encode(r.Inputs),
                ["dependsOn"] = new JsonArray(r.DependsOn.Select(d => (JsonNode?)d).ToArray()),
                ["options"] = new JsonObject { ["protect"] = r.Options.Protect, ["deleteBeforeReplace"] = r.Options.DeleteBeforeReplace },
            }).ToArray()),
            ["outputs"] = outputs,
        };
    }

    /// <exception cref="InvalidOperationException">The graph's secrets were stored as fingerprints, which cannot be reversed.</exception>
    public ResourceGraph FromJson(JsonObject json, string origin)
    {
        if (SecretCodec.HasFingerprints(json))
        {
            throw new InvalidOperationException(
                $"{origin} was stored without a secret protector: its secrets are only fingerprints and cannot be restored. " +
                "Configure the stack's passphrase so that new versions keep their secrets encrypted.");
        }
        var stack = json["stack"]!.GetValue<string>();
        var resources = json["resources"]!.AsArray().Select(node =>
        {
            var r = node!.AsObject();
            var options = r["options"]?.AsObject();
            return new Resource
            {
                Stack = stack,
                Type = r["type"]!.GetValue<string>(),
                Name = r["name"]!.GetValue<string>(),
                Inputs = codec.Decode(r["inputs"]!.AsObject()),
                DependsOn = r["dependsOn"]?.AsArray().Select(d => d!.GetValue<string>()).ToList() ?? [],
                Options = new ResourceOptions
                {
                    Protect = options?["protect"]?.GetValue<bool>() ?? false,
                    DeleteBeforeReplace = options?["deleteBeforeReplace"]?.GetValue<bool>() ?? false,
                },
            };
        }).ToList();
        var outputs = new Dictionary<string, StackOutput>();
        foreach (var (name, node) in json["outputs"]?.AsObject() ?? [])
        {
            var secret = node!["secret"]?.GetValue<bool>() ?? false;
            var value = secret ? Secret.Reveal(codec.Decode(node["value"], null))! : node["value"]!.GetValue<string>();
            outputs[name] = new StackOutput(value, secret);
        }
        return new ResourceGraph(stack, resources, outputs);
    }
}
