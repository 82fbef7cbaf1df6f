using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Command;
using Resilience.Contracts.Docker;
using Resilience.Contracts.Dotnet;
using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Platform;
using YamlDotNet.RepresentationModel;
using static Resilience.Pulumi.YamlValues;

namespace Resilience.Pulumi;

/// <summary>
/// Host files, JetStream objects, readiness waits and in-place reloads → `command:local:Command`.
/// pulumi-command runs `update` when an input other than `triggers` changes and replaces the resource when
/// `triggers` change (create the new one, then delete the old one). So `triggers` carry only what makes a new
/// object (the inputs the contracts mark [ReplaceOnChange]: a file's path, a stream's name and the settings the server
/// refuses to change); everything
/// else is an environment variable, and changing it runs the idempotent `update` in place.
/// </summary>
internal sealed class CommandMapping(DockerTarget target)
{
    private static readonly MappedInputs<FileInputs> FileEnvironment = new(nameof(FileInputs.Path), nameof(FileInputs.Content), nameof(FileInputs.Mode),
        nameof(FileInputs.Validator), nameof(FileInputs.Template), nameof(FileInputs.Takeover), nameof(FileInputs.Owner));

    private static readonly MappedInputs<PublishInputs> PublishEnvironment = new(
        nameof(PublishInputs.Project), nameof(PublishInputs.Output), nameof(PublishInputs.Binary), nameof(PublishInputs.Runtime),
        nameof(PublishInputs.Configuration), nameof(PublishInputs.SourceHash));

    private static readonly MappedInputs<AgentRestartInputs> AgentRestartEnvironment = new(
        nameof(AgentRestartInputs.Program), nameof(AgentRestartInputs.Args), nameof(AgentRestartInputs.Trigger));

    public PulumiResource File(Resource file, IReadOnlyList<string> dependsOn)
    {
        var inputs = FileEnvironment.Read(file);
        var environment = new YamlMappingNode
        {
            { CliContract.FilePathVariable, Literal(inputs.Path) },
            { CliContract.FileModeVariable, Literal(inputs.Mode ?? "0644") },
            { CliContract.FileContentVariable, Text(inputs.Content.Value, inputs.Content.IsSecret) },
        };
        // The write runs the same validator as the embedded engine's Check, so Pulumi never writes a refused config either.
        if (inputs.Validator is { } validator) environment.Add(CliContract.FileValidatorVariable, Literal(validator));
        if (inputs.Template is { } template) environment.Add(CliContract.FileTemplateVariable, Literal(template));
        if (inputs.Takeover is { } takeover) environment.Add(CliContract.FileTakeoverVariable, Literal(takeover));
        // The container user that reads a 0600 file (a key, a password file): the write gives it the file.
        if (inputs.Owner is { } owner) environment.Add(CliContract.FileOwnerVariable, Literal(owner));
        return Command(ResourceKeys.For(file), file.Options.Protect, dependsOn, new YamlMappingNode
        {
            { "create", Literal(CliContract.HostFileWrite) },
            { "update", Literal(CliContract.HostFileWrite) },
            { "delete", Literal(CliContract.HostFileDelete) },
            { "environment", environment },
            // A new path is a new file: write it, then delete the old one.
            { "triggers", Triggers(file) },
        });
    }

    public PulumiResource JetStream(Resource r, IReadOnlyList<string> dependsOn)
    {
        // Every input travels in the spec, which `jetstream apply` checks with the embedded provider's reader; a key the
        // contract does not declare stops here.
        var unknown = r.Inputs.Select(p => p.Key).Where(k => ResourceTypes.Of(r.Type).FindKey(k) is null).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"{r.Urn}: no Pulumi mapping for input(s) {string.Join(", ", unknown)}");
        var kind = r.Type[(r.Type.IndexOf(':') + 1)..];
        // The settings nats-server refuses to change in place. Not the server URL: a new address of the same server would
        // delete the stream through the old one (or block the delete when unreachable); the idempotent apply handles a move.
        var identity = ResourceTypes.Of(r.Type).Identity(r.Inputs);
        var spec = r.Inputs.ToJsonString();
        return Command(ResourceKeys.For(r), r.Options.Protect, dependsOn, new YamlMappingNode
        {
            { "create", Literal(CliContract.JetStreamApply(kind)) },
            { "update", Literal(CliContract.JetStreamApply(kind)) },
            { "delete", Literal(CliContract.JetStreamDelete(kind)) },
            { "environment", new YamlMappingNode { { CliContract.SpecVariable, Text(spec, Secret.Contains(r.Inputs)) } } },
            { "triggers", List([Literal(Hash(identity.ToJsonString()))]) },
        }) with
        {
            // The old and the new object share a name on one server: the old one must go first.
            DeleteBeforeReplace = true,
            RetainOnDelete = r.Options.RetainOnDelete,
        };
    }

    /// <summary>
    /// A `dotnet:publish` (only in graphs with imageSource local; the Pulumi path pulls the runtime image): the same
    /// publish the embedded engine runs. The output folder is named by the sources' hash, so new sources replace it.
    /// </summary>
    public PulumiResource Publish(Resource r, IReadOnlyList<string> dependsOn)
    {
        const string publish = "dotnet publish \"$RESILIENCE_PUBLISH_PROJECT\" -c \"$RESILIENCE_PUBLISH_CONFIGURATION\" " +
                               "-r \"$RESILIENCE_PUBLISH_RUNTIME\" --self-contained -p:PublishSingleFile=true " +
                               "-p:InvariantGlobalization=true -o \"$RESILIENCE_PUBLISH_OUTPUT\" --nologo";
        var inputs = PublishEnvironment.Read(r);
        return Command(ResourceKeys.For(r), r.Options.Protect, dependsOn, new YamlMappingNode
        {
            { "create", Literal(publish) },
            { "update", Literal(publish) },
            { "delete", Literal("rm -rf \"$RESILIENCE_PUBLISH_OUTPUT\"") },
            {
                "environment", new YamlMappingNode
                {
                    { "RESILIENCE_PUBLISH_PROJECT", Literal(inputs.Project) },
                    { "RESILIENCE_PUBLISH_OUTPUT", Literal(inputs.Output) },
                    { "RESILIENCE_PUBLISH_RUNTIME", Literal(inputs.Runtime) },
                    { "RESILIENCE_PUBLISH_CONFIGURATION", Literal(inputs.Configuration) },
                    { "RESILIENCE_SOURCE_HASH", Literal(inputs.SourceHash) },
                }
            },
            { "triggers", Triggers(r) },
        });
    }

    /// <summary>
    /// A `command:agent-restart`: the same argument list the embedded engine runs, each argument single-quoted for the
    /// shell pulumi-command starts (the program name is letters, digits, '-' and '_' by contract). A new trigger (the
    /// agent file's hash) replaces it, which runs `create` again: the restart. A changed command runs `update`.
    /// </summary>
    public PulumiResource AgentRestart(Resource r, IReadOnlyList<string> dependsOn)
    {
        var inputs = AgentRestartEnvironment.Read(r);
        var line = string.Join(' ', inputs.Args.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Command(ResourceKeys.For(r), r.Options.Protect, dependsOn, new YamlMappingNode
        {
            { "create", Literal(line) },
            { "update", Literal(line) },
            { "environment", new YamlMappingNode { { "RESILIENCE_AGENT_PROGRAM", Literal(inputs.Program) } } },
            { "triggers", Triggers(r) },
        });
    }

    /// <summary>Waits until the service answers, again whenever the container is replaced.</summary>
    public PulumiResource? Ready(Resource container, string containerKey)
    {
        if (container.Inputs["ready"] is not JsonObject ready) return null;
        var timeout = ready["timeoutSeconds"]?.GetValue<int>() ?? 60;
        var environment = new YamlMappingNode { { "RESILIENCE_READY_URL", Literal(ready["url"]!.GetValue<string>()) } };
        var create = WithAuth(ready["auth"], "READY", environment,
            $"curl -fsS -o /dev/null --max-time 5 --retry {Math.Max(1, timeout / 2)} --retry-delay 2 --retry-all-errors " +
            $"--retry-max-time {timeout} \"$RESILIENCE_READY_URL\"");
        return Command(ResourceKeys.Ready(container), protect: false, [containerKey], new YamlMappingNode
        {
            { "create", Literal(create) },
            { "environment", environment },
            { "triggers", List([Ref(containerKey, "id")]) },
        });
    }

    /// <summary>
    /// Reloads the service in place when its config files change: `triggers` hold the files' hash, so a new hash
    /// re-runs `create` after the file commands have written the new content. The container is never replaced.
    /// </summary>
    public PulumiResource? Reload(Resource container, IReadOnlyList<string> dependsOn)
    {
        if (container.Inputs["reload"] is not JsonObject reload) return null;
        var name = container.Inputs["name"]!.GetValue<string>();
        var (create, environment) = reload["kind"]?.GetValue<string>() switch
        {
            "http" => HttpReload(reload),
            "signal" => ("docker kill --signal \"$RESILIENCE_RELOAD_SIGNAL\" \"$RESILIENCE_CONTAINER\"",
                new YamlMappingNode
                {
                    { "DOCKER_HOST", Literal(target.Host) },
                    { "RESILIENCE_RELOAD_SIGNAL", Literal(reload["signal"]!.GetValue<string>()) },
                    { "RESILIENCE_CONTAINER", Literal(name) },
                }),
            "restart" => ("docker restart \"$RESILIENCE_CONTAINER\"",
                new YamlMappingNode { { "DOCKER_HOST", Literal(target.Host) }, { "RESILIENCE_CONTAINER", Literal(name) } }),
            var kind => throw new InvalidOperationException($"{container.Urn}: no Pulumi mapping for reload kind '{kind}'"),
        };
        var hash = container.Inputs["configHash"]?.GetValue<string>() ?? Hash(reload.ToJsonString());
        return Command(ResourceKeys.Reload(container), protect: false, dependsOn, new YamlMappingNode
        {
            { "create", Literal(create) },
            { "environment", environment },
            { "triggers", List([Literal(hash)]) },
        });
    }

    private static (string Create, YamlMappingNode Environment) HttpReload(JsonObject reload)
    {
        var environment = new YamlMappingNode { { "RESILIENCE_RELOAD_URL", Literal(reload["url"]!.GetValue<string>()) } };
        return (WithAuth(reload["auth"], "RELOAD", environment, "curl -fsS -o /dev/null --max-time 30 -X POST \"$RESILIENCE_RELOAD_URL\""), environment);
    }

    /// <summary>
    /// A curl call to a listener with TLS and basic auth (<see cref="HttpProbeAuth"/>): it trusts the CA file, and the
    /// user and password reach curl as its config on stdin (printf is the shell's own, so they never are a process
    /// argument); the password is a Pulumi secret in the environment.
    /// </summary>
    private static string WithAuth(JsonNode? authNode, string prefix, YamlMappingNode environment, string curl)
    {
        if (authNode is null) return curl;
        var read = ContractJson.Read<HttpProbeAuth>(authNode as JsonObject ?? throw new InvalidOperationException($"auth must be an object, not {authNode.ToJsonString()}"));
        if (!read.Ok) throw new InvalidOperationException($"auth: {string.Join("; ", read.Failures)}");
        var auth = read.Value;
        environment.Add($"RESILIENCE_{prefix}_CA", Literal(auth.CaFile));
        environment.Add($"RESILIENCE_{prefix}_USER", Literal(auth.User));
        environment.Add($"RESILIENCE_{prefix}_PASSWORD", Text(auth.Password.Value, secret: true));
        return $"printf 'user = \"%s:%s\"\\n' \"$RESILIENCE_{prefix}_USER\" \"$RESILIENCE_{prefix}_PASSWORD\" | " +
               curl.Replace("curl ", $"curl --cacert \"$RESILIENCE_{prefix}_CA\" -K - ", StringComparison.Ordinal);
    }

    /// <summary>The values of the inputs marked [ReplaceOnChange], as text: a change of any makes a new one.</summary>
    private static YamlSequenceNode Triggers(Resource r) =>
        List(ResourceTypes.Of(r.Type).Identity(r.Inputs).Select(p => (YamlNode)Literal(p.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : p.Value?.ToJsonString() ?? "")));

    /// <param name="protect">Never for the ready and reload helpers: they are replaced whenever they re-run.</param>
    private static PulumiResource Command(string key, bool protect, IReadOnlyList<string> dependsOn, YamlMappingNode properties) =>
        new(key, PulumiPackages.Command, properties)
        {
            Version = PulumiPackages.CommandVersion,
            DependsOn = dependsOn,
            Protect = protect,
        };

    private static string Hash(string text) => ContentHash.Tagged(text);
}
