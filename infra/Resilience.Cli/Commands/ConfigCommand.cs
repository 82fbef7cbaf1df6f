using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Secrets;
using Resilience.Stack.Config;

namespace Resilience.Cli.Commands;

/// <summary>`config`, `config get|set|rm`: Pulumi's config verbs, editing Pulumi.&lt;stack&gt;.yaml in place.</summary>
public static class ConfigCommand
{
    public static Command Create(Option<string> stack)
    {
        var json = new Option<bool>("--json", "-j") { Description = "Machine-readable JSON" };
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Reveal secret values" };
        var key = new Argument<string>("key") { Description = "The key, with or without the 'resilience:' namespace" };

        var list = new Command("config", "List the stack's configuration (secrets shown as [secret])") { stack, json, showSecrets };
        list.SetAction(parse => CliErrors.Run(() =>
        {
            var config = Load(parse.GetRequiredValue(stack));
            var decrypt = ConfigSecrets.Decrypter(config);
            var rows = config.Declarations.Keys.Order(StringComparer.Ordinal)
                .Select(k => (Key: $"{config.Project}:{k}", Value: config.Find(k), Secret: config.Declarations[k].Secret))
                .Where(r => r.Value is not null)
                .Select(r => (r.Key, Text: Show(r.Value!, parse.GetValue(showSecrets), decrypt), Source: Source(config, r.Value!)))
                .ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject(rows.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)new JsonObject { ["value"] = r.Text, ["from"] = r.Source })))
                    .ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            Console.WriteLine($"{"KEY",-44} {"VALUE",-36} FROM");
            foreach (var (k, text, source) in rows) Console.WriteLine($"{k,-44} {text,-36} {source}");
            return 0;
        }));

        var get = new Command("get", "Print one value") { stack, key, showSecrets };
        get.SetAction(parse => CliErrors.Run(() =>
        {
            var config = Load(parse.GetRequiredValue(stack));
            var shortKey = ShortKey(config, parse.GetRequiredValue(key));
            var value = config.Find(shortKey) ?? throw new UsageException($"{config.Project}:{shortKey}", $"is not set in {Shown(config.StackFile)} and has no default");
            Console.WriteLine(Show(value, parse.GetValue(showSecrets), ConfigSecrets.Decrypter(config)));
            return 0;
        }));

        var valueArg = new Argument<string?>("value") { Description = "The value; read from standard input when left out (keeps secrets off the command line)", Arity = ArgumentArity.ZeroOrOne };
        var secret = new Option<bool>("--secret") { Description = "Encrypt the value with the stack's passphrase (PULUMI_CONFIG_PASSPHRASE or _FILE)" };
        var set = new Command("set", "Set a value in the stack file, keeping its other lines and comments") { stack, key, valueArg, secret };
        set.SetAction(parse => CliErrors.Run(() =>
        {
            var config = Load(parse.GetRequiredValue(stack));
            var shortKey = ShortKey(config, parse.GetRequiredValue(key));
            var fullKey = $"{config.Project}:{shortKey}";
            var declaration = config.Declarations[shortKey];
            var value = parse.GetValue(valueArg) ?? Console.In.ReadToEnd().TrimEnd('\r', '\n');
            CheckType(fullKey, declaration, value);
            var isSecret = parse.GetValue(secret);
            if (isSecret && value.Length == 0)
                throw new UsageException(fullKey, "an empty secret is refused: pass the value or pipe it in");
            if (declaration.Secret && !isSecret)
                throw new UsageException(fullKey, "is declared secret in Pulumi.yaml: set it with --secret");
            Edit(config, editor =>
            {
                if (isSecret) editor.SetSecret(fullKey, value, StackSecrets.Open(config.StackFile, editor.EncryptionSalt, editor.SecretsProvider));
                else editor.Set(fullKey, value);
            });
            return 0;
        }));

        var rm = new Command("rm", "Remove a value from the stack file (the Pulumi.yaml default applies again)") { stack, key };
        rm.SetAction(parse => CliErrors.Run(() =>
        {
            var config = Load(parse.GetRequiredValue(stack));
            var fullKey = $"{config.Project}:{ShortKey(config, parse.GetRequiredValue(key))}";
            var removed = false;
            Edit(config, editor => removed = editor.Remove(fullKey));
            if (!removed) throw new UsageException(fullKey, $"is not set in {Shown(config.StackFile)}");
            return 0;
        }));

        list.Subcommands.Add(get);
        list.Subcommands.Add(set);
        list.Subcommands.Add(rm);
        return list;
    }

    private static StackConfig Load(string stack) => ProjectContext.Discover().LoadConfig(stack);

    /// <summary>Edits the stack file in place; a refused edit surfaces as SecretsException or StackFileException (exit 2).</summary>
    private static void Edit(StackConfig config, Action<StackFileEditor> change)
    {
        var editor = StackFileEditor.Load(config.StackFile);
        change(editor);
        editor.Save();
    }

    private static string Shown(string file) => ProjectContext.Discover().Show(file);

    private static string ShortKey(StackConfig config, string key)
    {
        var prefix = config.Project + ":";
        var shortKey = key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;
        if (config.Declarations.ContainsKey(shortKey)) return shortKey;
        var near = NearestName.Find(shortKey, config.Declarations.Keys);
        throw new UsageException($"{prefix}{shortKey}", $"unknown config key (not declared in Pulumi.yaml){(near is null ? "" : $"; did you mean '{prefix}{near}'?")}");
    }

    private static void CheckType(string fullKey, ConfigDeclaration declaration, string value)
    {
        var ok = declaration.Type switch
        {
            "integer" => long.TryParse(value, out _),
            "boolean" => value is "true" or "false",
            _ => true,
        };
        if (!ok) throw new UsageException(fullKey, $"expected {(declaration.Type == "integer" ? "an integer" : "true or false")}, got '{value}'");
    }

    private static string Show(ConfigValue value, bool reveal, Func<ConfigValue, string> decrypt) =>
        value.IsSecure ? (reveal ? decrypt(value) : Model.Secret.Mask) : value.Value switch
        {
            JsonValue v => v.ToString(),
            var other => other?.ToJsonString() ?? "",
        };

    private static string Source(StackConfig config, ConfigValue value) =>
        value.File == config.ProjectFile ? "default" : value.File == config.StackFile ? "stack" : value.File;
}
