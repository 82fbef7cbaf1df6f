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
                ["options"] = new JsonObject { ["protect"] = r.Options.Protect, ["deleteBeforeReplace"] = r.Options.DeleteBeforeReplace, ["retainOnDelete"] = r.Options.RetainOnDelete, ["deleteAfter"] = r.Options.DeleteAfter },
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
                    RetainOnDelete = options?["retainOnDelete"]?.GetValue<bool>() ?? false,
                    DeleteAfter = options?["deleteAfter"]?.GetValue<string>(),
                },
            };
        }).ToList();
        return new ResourceGraph(stack, resources, Outputs(json, revealSecrets: true));
    }

    /// <summary>A stored graph's outputs; a secret one is decrypted only when <paramref name="revealSecrets"/>, else masked.</summary>
    /// <exception cref="InvalidOperationException">A secret to reveal was stored as a fingerprint, which cannot be reversed.</exception>
    public Dictionary<string, StackOutput> Outputs(JsonObject json, bool revealSecrets)
    {
        var outputs = new Dictionary<string, StackOutput>(StringComparer.Ordinal);
        foreach (var (name, node) in json["outputs"]?.AsObject() ?? [])
        {
            var secret = node!["secret"]?.GetValue<bool>() ?? false;
            if (secret && revealSecrets && SecretCodec.IsFingerprint(node["value"]))
                throw new InvalidOperationException($"output '{name}' was stored without a secret protector: only its fingerprint is kept");
            var value = !secret ? node["value"]!.GetValue<string>()
                : revealSecrets ? Secret.Reveal(codec.Decode(node["value"], null))!
                : Secret.Mask;
            outputs[name] = new StackOutput(value, secret);
        }
        return outputs;
    }
}
