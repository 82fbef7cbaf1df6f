using System.Net;
using System.Text;
using Resilience.Platform;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Resilience.Runtime.Contracts;

/// <summary>
/// The runtime's config file in YAML: <see cref="Write"/> for the stacks, <see cref="Read"/> for the runtime, the same
/// <see cref="RuntimeConfig"/> type on both sides. Keys are camelCase; durations use the one grammar
/// (<see cref="Duration"/>); an unknown key is an error, as is any value the type cannot hold.
/// </summary>
public static class RuntimeConfigYaml
{
    private static readonly IYamlTypeConverter[] Converters =
    [
        new ScalarConverter<TimeSpan>(
            text => Duration.TryParse(text, out var d, out var problem) ? d.Value : throw new InvalidValueException(problem),
            value => new Duration(value).ToString()),
        new ScalarConverter<Uri>(
            text => Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : throw new InvalidValueException($"'{text}' is not an absolute URL"),
            value => value.ToString()),
        new ScalarConverter<IPAddress>(
            text => IPAddress.TryParse(text, out var address) ? address : throw new InvalidValueException($"'{text}' is not an IP address"),
            value => value.ToString()),
        new ScalarConverter<UnixUser>(
            text => UnixUser.TryParse(text, out var user) ? user : throw new InvalidValueException($"'{text}' is not uid:gid (numbers, uid not 0)"),
            value => value.ToString()),
        EnumConverter<TierKind>(),
        EnumConverter<FsyncPolicy>(),
        EnumConverter<HttpRole>(),
    ];

    /// <param name="header">Comment lines written above the keys (without '#').</param>
    public static string Write(RuntimeConfig config, IEnumerable<string>? header = null)
    {
        var builder = new SerializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections);
        foreach (var converter in Converters) builder.WithTypeConverter(converter);
        var text = new StringBuilder();
        foreach (var line in header ?? []) text.Append("# ").Append(line).Append('\n');
        return text.Append(builder.Build().Serialize(config)).ToString();
    }

    /// <summary>Reads, checks and completes a config; a problem is a <see cref="ConfigException"/> naming <paramref name="source"/> and the key.</summary>
    public static RuntimeConfig Read(string yaml, string source)
    {
        var builder = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance);
        foreach (var converter in Converters) builder.WithTypeConverter(converter);
        RuntimeConfig config;
        try
        {
            config = builder.Build().Deserialize<RuntimeConfig?>(yaml) ?? new RuntimeConfig();
        }
        catch (YamlException e)
        {
            throw Explain(e, yaml, source);
        }
        return Resolve(config, source);
    }

    /// <summary>
    /// Checks a config and fills in the defaults that depend on other keys: what <see cref="Read"/> returns. The stacks
    /// write the resolved record, so the runtime reads back exactly what was written.
    /// </summary>
    public static RuntimeConfig Resolve(RuntimeConfig config, string source) => new RuntimeConfigValidation(source).Resolve(config);

    private static ConfigException Explain(YamlException e, string yaml, string source)
    {
        var where = $"{source}:{e.Start.Line}:{e.Start.Column}";
        var key = KeyAt(yaml, e.Start);
        if (Innermost(e) is InvalidValueException value)
            return key is null
                ? new ConfigException($"{where}: {value.Message}")
                : new ConfigException($"{source}: {key}: {value.Message} (line {e.Start.Line})");
        if (e.Message.Contains("not found on type", StringComparison.Ordinal) && key is not null)
            return new ConfigException($"{where}: {key}: unknown key (runtime/README.md lists the keys)");
        var reason = e.InnerException?.Message ?? e.Message;
        return new ConfigException(key is null ? $"{where}: {reason}" : $"{where}: {key}: {reason}");
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null && e is not InvalidValueException) e = e.InnerException;
        return e;
    }

    /// <summary>The dotted path ("tiers[2].kind") of the key or value that starts at <paramref name="mark"/>, if any.</summary>
    private static string? KeyAt(string yaml, Mark mark)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            return null;
        }
        return stream.Documents.Count == 0 ? null : Find(stream.Documents[0].RootNode, "", mark);
    }

    private static string? Find(YamlNode node, string path, Mark mark)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    var child = path.Length == 0 ? $"{k}" : $"{path}.{k}";
                    // Deepest first: a nested mapping starts where its first key does.
                    if (Same(k.Start, mark)) return child;
                    if (Find(v, child, mark) is { } found) return found;
                    if (Same(v.Start, mark)) return child;
                }
                return null;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (Find(list.Children[i], $"{path}[{i}]", mark) is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Same(Mark a, Mark b) => a.Line == b.Line && a.Column == b.Column;

    private static ScalarConverter<T> EnumConverter<T>() where T : struct, Enum
    {
        static string Name(T value) => CamelCaseNamingConvention.Instance.Apply(value.ToString());
        var names = Enum.GetValues<T>().ToDictionary(Name);
        return new ScalarConverter<T>(
            text => names.TryGetValue(text, out var value) ? value : throw new InvalidValueException($"'{text}' is not one of: {string.Join(", ", names.Keys)}"),
            Name);
    }

    /// <summary>A type written as one plain scalar.</summary>
    private sealed class ScalarConverter<T>(Func<string, T> read, Func<T, string> write) : IYamlTypeConverter where T : notnull
    {
        public bool Accepts(Type type) => typeof(T).IsAssignableFrom(type) || Nullable.GetUnderlyingType(type) == typeof(T);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            var scalar = parser.Consume<Scalar>();
            return read(scalar.Value);
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(write((T)value!)));
    }
}
