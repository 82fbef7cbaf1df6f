using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Resilience.Stack.Config;

/// <summary>
/// The merged configuration of one stack, read the way Pulumi reads it: the keys and defaults declared in
/// Pulumi.yaml, overridden by Pulumi.&lt;stack&gt;.yaml's `config:` map, overridden by explicit overrides
/// (PULUMI_CONFIG when Pulumi runs us). Keys are namespaced by the project ("resilience:edgeHubPort").
/// </summary>
public sealed class StackConfig
{
    private readonly Dictionary<string, ConfigValue> _values;

    private StackConfig(string project, string stack, string projectFile, string stackFile, string? encryptionSalt,
        string? secretsProvider, IReadOnlyDictionary<string, ConfigDeclaration> declarations, Dictionary<string, ConfigValue> values)
    {
        SecretsProvider = secretsProvider;
        Project = project;
        Stack = stack;
        ProjectFile = projectFile;
        StackFile = stackFile;
        EncryptionSalt = encryptionSalt;
        Declarations = declarations;
        _values = values;
    }

    public string Project { get; }
    public string Stack { get; }
    public string ProjectFile { get; }
    public string StackFile { get; }

    /// <summary>The stack file's `encryptionsalt:` (passphrase secrets), when it has one.</summary>
    public string? EncryptionSalt { get; }

    /// <summary>The stack file's `secretsprovider:` when it names one (only the passphrase provider is supported).</summary>
    public string? SecretsProvider { get; }

    /// <summary>Declared keys by short name (without the project namespace).</summary>
    public IReadOnlyDictionary<string, ConfigDeclaration> Declarations { get; }

    /// <summary>Values by short name; every declared key with a default or a set value is here.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Values => _values;

    public ConfigValue? Find(string key) => _values.GetValueOrDefault(key);

    public static string StackFileName(string stack) => $"Pulumi.{stack}.yaml";

    public static StackConfig Load(string projectDir, string stack, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var projectFile = Path.Combine(projectDir, "Pulumi.yaml");
        var stackFile = Path.Combine(projectDir, StackFileName(stack));
        var projectRoot = YamlNodes.LoadMapping(projectFile) ?? throw new ConfigException(projectFile, "file", "is empty");
        var project = (projectRoot.Child("name") as YamlScalarNode)?.Value
            ?? throw new ConfigException(projectFile, "name", "missing: the project needs a name");
        var declarations = ReadDeclarations(projectFile, project, projectRoot);

        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var d in declarations.Values.Where(d => d.Default is not null))
        {
            values[d.Key] = new ConfigValue($"{project}:{d.Key}", d.Default!.DeepClone(), projectFile, d.Line);
        }

        string? salt = null;
        string? secretsProvider = null;
        if (!File.Exists(stackFile))
        {
            throw new ConfigException(stackFile, "file", $"no such stack file: stack '{stack}' has no {StackFileName(stack)} in {projectDir}");
        }
        var stackRoot = YamlNodes.LoadMapping(stackFile);
        if (stackRoot is not null)
        {
            salt = (stackRoot.Child("encryptionsalt") as YamlScalarNode)?.Value;
            secretsProvider = (stackRoot.Child("secretsprovider") as YamlScalarNode)?.Value;
            if (stackRoot.Child("config") is { } configNode)
            {
                if (configNode is not YamlMappingNode configMap)
                    throw new ConfigException(stackFile, $"line {configNode.Line()}: config", "expected a map of keys to values");
                foreach (var (keyNode, valueNode) in configMap.Children)
                {
                    var fullKey = ((YamlScalarNode)keyNode).Value ?? "";
                    var key = ShortKey(stackFile, keyNode.Line(), fullKey, project, declarations);
                    values[key] = ReadValue(stackFile, fullKey, valueNode);
                }
            }
        }

        foreach (var (fullKey, text) in overrides ?? new Dictionary<string, string>())
        {
            var key = ShortKey("PULUMI_CONFIG", 0, fullKey, project, declarations);
            values[key] = new ConfigValue(fullKey, ParseOverride(text), "PULUMI_CONFIG", 0);
        }

        foreach (var (key, value) in values) TypeCheck(declarations[key], value);
        return new StackConfig(project, stack, projectFile, stackFile, salt, secretsProvider, declarations, values);
    }

    private static Dictionary<string, ConfigDeclaration> ReadDeclarations(string file, string project, YamlMappingNode root)
    {
        var result = new Dictionary<string, ConfigDeclaration>(StringComparer.Ordinal);
        if (root.Child("config") is not YamlMappingNode config) return result;
        foreach (var (keyNode, spec) in config.Children)
        {
            var full = ((YamlScalarNode)keyNode).Value ?? "";
            var key = full.StartsWith(project + ":", StringComparison.Ordinal) ? full[(project.Length + 1)..] : full;
            if (spec is not YamlMappingNode specMap)
                throw new ConfigException(file, $"line {keyNode.Line()}: config.{full}", "declare each key as a map with `type:` (and `default:`)");
            var type = (specMap.Child("type") as YamlScalarNode)?.Value ?? "string";
            if (type is not ("string" or "integer" or "boolean" or "array"))
                throw new ConfigException(file, $"line {specMap.Line()}: config.{full}.type", $"'{type}' is not one of string, integer, boolean, array");
            var secret = (specMap.Child("secret") as YamlScalarNode)?.Value == "true";
            var description = (specMap.Child("description") as YamlScalarNode)?.Value;
            var @default = specMap.Child("default") is { } d ? YamlNodes.ToJson(d) : null;
            result[key] = new ConfigDeclaration(key, type, @default, secret, description, keyNode.Line());
        }
        return result;
    }

    private static string ShortKey(string file, int line, string fullKey, string project, IReadOnlyDictionary<string, ConfigDeclaration> declared)
    {
        var where = line > 0 ? $"line {line}: {fullKey}" : fullKey;
        var prefix = project + ":";
        if (!fullKey.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new ConfigException(file, where, $"config keys of this project are namespaced '{prefix}<key>'");
        }
        var key = fullKey[prefix.Length..];
        if (declared.ContainsKey(key)) return key;
        var near = NearestName.Find(key, declared.Keys);
        var hint = near is null ? "" : $"; did you mean '{prefix}{near}'?";
        throw new ConfigException(file, where, $"unknown config key{hint}");
    }

    private static ConfigValue ReadValue(string file, string fullKey, YamlNode node)
    {
        if (node is YamlMappingNode map && map.Children.Count == 1 && map.Child("secure") is YamlScalarNode secure)
        {
            return new ConfigValue(fullKey, null, file, node.Line(), secure.Value ?? "");
        }
        return new ConfigValue(fullKey, YamlNodes.ToJson(node), file, node.Line());
    }

    private static JsonNode? ParseOverride(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            try { return JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        }
        return JsonValue.Create(text);
    }

    private static void TypeCheck(ConfigDeclaration declaration, ConfigValue value)
    {
        if (value.IsSecure || value.Value is null) return;
        var ok = declaration.Type switch
        {
            "integer" => value.Value is JsonValue v && long.TryParse(v.ToString(), out _),
            "boolean" => value.Value is JsonValue v && v.ToString() is "true" or "false",
            "array" => value.Value is JsonArray,
            _ => value.Value is JsonValue or JsonObject,
        };
        if (!ok)
        {
            throw new ConfigException(value.File, value.Where, $"expected {Article(declaration.Type)} {declaration.Type}, got {Describe(value.Value)}");
        }
    }

    private static string Article(string type) => type is "integer" or "array" ? "an" : "a";

    private static string Describe(JsonNode node) => node switch
    {
        JsonArray => "a list",
        JsonObject => "a map",
        _ => $"'{node}'",
    };
}
