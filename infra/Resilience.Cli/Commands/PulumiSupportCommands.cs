using System.CommandLine;
using System.Text.Json.Nodes;
using Resilience.Model;
using Resilience.Providers.Files;
using Resilience.Providers.JetStream;
using Resilience.Pulumi;

namespace Resilience.Cli.Commands;

/// <summary>
/// The idempotent sub-commands that Pulumi's command:local:Command resources run (see docs/pulumi.md). They take
/// everything from the environment, never from arguments, so content and secrets stay off the process table.
/// Exit 0: done (also "nothing to change", "already gone"); 2: refused, the operator must fix it; 1: failed.
/// </summary>
public static class PulumiSupportCommands
{
    public static Command HostFile()
    {
        var write = new Command("write", $"Write a host file atomically from {CliContract.FilePathVariable}, {CliContract.FileModeVariable}, {CliContract.FileContentVariable}");
        write.SetAction((_, ct) => Guard(async () =>
        {
            var inputs = new JsonObject
            {
                ["path"] = Require(CliContract.FilePathVariable),
                ["content"] = Require(CliContract.FileContentVariable),
                ["mode"] = Environment.GetEnvironmentVariable(CliContract.FileModeVariable) ?? "0644",
            };
            if (Environment.GetEnvironmentVariable(CliContract.FileValidatorVariable) is { } validator) inputs["validate"] = validator;
            if (Environment.GetEnvironmentVariable(CliContract.FileTemplateVariable) is { } template) inputs["template"] = template;
            if (Environment.GetEnvironmentVariable(CliContract.FileOwnerVariable) is { } owner) inputs["owner"] = owner;
            var file = FileResource(inputs);
            var provider = new FileProvider();
            if (provider.Check(file) is { Ok: false } check) return Refuse(check.Failures.Select(f => f.ToString()));
            await provider.CreateAsync(file, ct);
            return 0;
        }, ct));
        var delete = new Command("delete", $"Delete the host file named by {CliContract.FilePathVariable}");
        delete.SetAction((_, ct) => Guard(async () =>
        {
            var path = Require(CliContract.FilePathVariable);
            var state = new Engine.Providers.ResourceState { Urn = "", Type = "file:file", Name = path, Inputs = new JsonObject { ["path"] = path, ["content"] = "" } };
            await new FileProvider().DeleteAsync(state, ct);
            return 0;
        }, ct));
        return new Command("host-file", "Host files for the Pulumi path") { write, delete };
    }

    public static Command JetStream()
    {
        var command = new Command("jetstream", "JetStream streams and consumers for the Pulumi path");
        foreach (var (verb, description) in new[] { ("apply", "Create or update in place"), ("delete", "Delete (already gone is fine)") })
        {
            var group = new Command(verb, description);
            foreach (var kind in new[] { "stream", "consumer" })
            {
                var leaf = new Command(kind, $"{description} a {kind} described by {CliContract.SpecVariable}");
                leaf.SetAction((_, ct) => Guard(async () =>
                {
                    var type = $"jetstream:{kind}";
                    var inputs = JetStreamOperations.ParseInputs(Require(CliContract.SpecVariable));
                    if (JetStreamOperations.Check(type, inputs) is { Count: > 0 } problems) return Refuse(problems.Select(f => f.ToString()));
                    var operations = new JetStreamOperations();
                    if (verb == "apply")
                    {
                        var result = await operations.ApplyAsync(type, inputs, ct: ct);
                        Console.Error.WriteLine($"{kind} {inputs["name"]}: {result.Change.ToString().ToLowerInvariant()}");
                    }
                    else
                    {
                        var deleted = await operations.DeleteAsync(type, inputs, ct);
                        Console.Error.WriteLine($"{kind} {inputs["name"]}: {(deleted ? "deleted" : "already gone")}");
                    }
                    return 0;
                }, ct));
                group.Subcommands.Add(leaf);
            }
            command.Subcommands.Add(group);
        }
        return command;
    }

    private static Resource FileResource(JsonObject inputs) =>
        new() { Stack = "pulumi", Type = "file:file", Name = inputs["path"]!.GetValue<string>(), Inputs = inputs };

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new UsageException(variable, "must be set (the Pulumi program passes it)");

    private static int Refuse(IEnumerable<string> problems)
    {
        foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
        return CliErrors.UserError;
    }

    private static Task<int> Guard(Func<Task<int>> action, CancellationToken ct) => CliErrors.RunAsync(async () =>
    {
        try
        {
            return await action();
        }
        catch (JetStreamException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliErrors.Failed;
        }
    }, ct);
}
