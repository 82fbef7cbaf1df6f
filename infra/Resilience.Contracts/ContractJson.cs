using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Resilience.Contracts;

/// <summary>
/// The one serializer between input records and the JSON that resources, state and history carry: a record is
/// written here, and read back by <see cref="ContractReader"/> with the same names (one JSON type metadata for both).
/// Unset members are left out, so the JSON stays what the program wrote before the records existed.
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonObject Write<T>(T inputs) where T : class =>
        JsonSerializer.SerializeToNode(inputs, inputs.GetType(), Options)?.AsObject()
        ?? throw new InvalidOperationException($"{typeof(T).Name} wrote no JSON object");

    /// <summary>Reads and validates inputs as <typeparamref name="T"/>, collecting every problem (never only the first).</summary>
    public static InputsRead<T> Read<T>(JsonObject inputs) where T : class => ContractReader.Read<T>(inputs);

    /// <summary>The JSON name of an enum value ("workqueue"), as inputs spell it.</summary>
    public static string NameOf<TEnum>(TEnum value) where TEnum : struct, Enum =>
        ContractReader.EnumNames(typeof(TEnum)).First(p => p.Value.Equals(value)).Key;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly();
        return options;
    }
}

/// <param name="Value">The inputs as far as they could be read (members that failed keep their defaults).</param>
public sealed record InputsRead<T>(T Value, IReadOnlyList<Model.CheckFailure> Failures) where T : class
{
    public bool Ok => Failures.Count == 0;

    /// <summary>The valid inputs; throws with every failure when there are any (a caller that skipped Check).</summary>
    public T Valid => Ok ? Value : throw new ArgumentException(string.Join("; ", Failures));
}
