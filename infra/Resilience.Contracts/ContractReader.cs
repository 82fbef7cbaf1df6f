using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Resilience.Model;

namespace Resilience.Contracts;

/// <summary>
/// The one reader of input JSON into records, for every provider: types, required members, unknown keys, secrets
/// where none may be, enum names, then each record's own rules (<see cref="IValidatedInputs"/>). It reports every
/// problem with its path instead of stopping at the first, which is why it is not JsonSerializer.Deserialize.
/// </summary>
public static class ContractReader
{
    private const string SecretRefused =
        "must not contain secrets: only an input declared secret may carry one (names, paths and process arguments are visible to every user of the host)";

    public static InputsRead<T> Read<T>(JsonObject inputs) where T : class
    {
        var failures = new InputFailures(typeof(T));
        var value = (T)ReadRecord(inputs, typeof(T), failures);
        return new InputsRead<T>(value, failures.All);
    }

    /// <summary>Every problem of inputs read as the record type <paramref name="record"/> (for callers that know the type only at run time).</summary>
    public static IReadOnlyList<CheckFailure> Check(Type record, JsonObject inputs)
    {
        var failures = new InputFailures(record);
        ReadRecord(inputs, record, failures);
        return failures.All;
    }

    private static object ReadRecord(JsonObject node, Type type, InputFailures failures)
    {
        var info = ContractJson.Options.GetTypeInfo(type);
        var record = info.CreateObject?.Invoke() ?? throw new InvalidOperationException($"{type.Name} needs a parameterless constructor");
        var contract = ResourceContract.Of(type);
        foreach (var (key, _) in node.Where(p => contract.FindKey(p.Key) is null))
        {
            failures.AddAt(key, $"is not an input of {contract.Type ?? type.Name} (known: {string.Join(", ", contract.Keys)})");
        }
        foreach (var property in info.Properties)
        {
            if (contract.FindKey(property.Name) is not { } member) continue; // computed, not an input
            var child = node[property.Name];
            if (child is null)
            {
                if (property.IsRequired) failures.AddAt(property.Name, "is required");
                continue;
            }
            if (member.Secret)
            {
                if (!Secret.IsSecret(child)) failures.AddAt(property.Name, "must be a secret, so that it is never printed or stored in the clear");
            }
            else if (member.Type != typeof(SecretText) && !AllowsSecrets(member.Type) && Secret.Contains(child))
            {
                failures.AddAt(property.Name, SecretRefused);
                continue;
            }
            var before = failures.Count;
            var value = ReadValue(child, property.PropertyType, property.Name, failures);
            if (failures.Count == before && value is string { Length: 0 } && property.IsRequired) failures.AddAt(property.Name, "must not be empty");
            if (value is not null) property.Set!(record, value);
        }
        if (record is IValidatedInputs validated) validated.Validate(failures);
        return record;
    }

    /// <summary>Maps of secrets (a container's env) may hold them in their values; a nested record only where its own
    /// contract declares a secret member (read, and checked, member by member).</summary>
    private static bool AllowsSecrets(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var info = ContractJson.Options.GetTypeInfo(type);
        if (info is { Kind: JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Enumerable, ElementType: { } element }) return element == typeof(SecretText);
        return info.Kind == JsonTypeInfoKind.Object && ResourceContract.Of(type).Members.Any(m => m.Secret || AllowsSecrets(m.Type));
    }

    private static object? ReadValue(JsonNode node, Type type, string path, InputFailures failures)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return Text(node) ?? Fail(failures, path, "must be a string");
        if (type == typeof(SecretText))
        {
            if (Secret.IsSecret(node) && Text(node[Secret.Key]) is { } hidden) return SecretText.Hidden(hidden);
            return Text(node) is { } plain ? SecretText.Plain(plain) : Fail(failures, path, "must be a string or a secret");
        }
        if (type == typeof(bool))
        {
            return node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? v.GetValue<bool>()
                : Fail(failures, path, "must be true or false");
        }
        if (type == typeof(int) || type == typeof(long))
        {
            if (WholeNumber(node) is { } number && (type == typeof(long) || number is >= int.MinValue and <= int.MaxValue))
                return type == typeof(int) ? (object)(int)number : number;
            return Fail(failures, path, $"{node.ToJsonString()} is not a whole number");
        }
        if (type.IsEnum) return EnumValue(node, type, path, failures);

        var info = ContractJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                if (node is not JsonArray array) return Fail(failures, path, "must be a list");
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(info.ElementType!))!;
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i] is { } element ? ReadValue(element, info.ElementType!, $"{path}[{i}]", failures) : Fail(failures, $"{path}[{i}]", "must not be null");
                    if (item is not null) list.Add(item);
                }
                return type.IsArray ? ToArray(list, info.ElementType!) : list;
            case JsonTypeInfoKind.Dictionary:
                if (node is not JsonObject map || Secret.IsSecret(node)) return Fail(failures, path, "must be an object");
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), info.ElementType!), StringComparer.Ordinal)!;
                foreach (var (key, element) in map)
                {
                    var item = element is null ? Fail(failures, $"{path}.{key}", "must not be null") : ReadValue(element, info.ElementType!, $"{path}.{key}", failures);
                    if (item is not null) dictionary[key] = item;
                }
                return dictionary;
            case JsonTypeInfoKind.Object:
                return node is JsonObject o && !Secret.IsSecret(o) ? ReadRecord(o, type, failures.Nested(path, type)) : Fail(failures, path, "must be an object");
            default:
                throw new InvalidOperationException($"input records cannot hold a {type.Name}");
        }
    }

    private static Array ToArray(IList list, Type element)
    {
        var array = Array.CreateInstance(element, list.Count);
        list.CopyTo(array, 0);
        return array;
    }

    private static object? EnumValue(JsonNode node, Type type, string path, InputFailures failures)
    {
        var names = EnumNames(type);
        var text = Text(node);
        if (text is not null && names.TryGetValue(text, out var value)) return value;
        return Fail(failures, path, $"{node.ToJsonString()} is not one of {string.Join(", ", names.Keys)}");
    }

    /// <summary>The JSON names of an enum's values ([JsonStringEnumMemberName]), as the serializer writes them.</summary>
    public static IReadOnlyDictionary<string, object> EnumNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name,
            f => f.GetValue(null)!,
            StringComparer.Ordinal);

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    // A JsonValue made from an int does not convert to long, nor one made from a double to an integer: go through the JSON text.
    private static long? WholeNumber(JsonNode node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return null;
        var text = node.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue
            ? (long)d
            : null;
    }

    private static object? Fail(InputFailures failures, string path, string reason)
    {
        failures.AddAt(path, reason);
        return null;
    }
}
