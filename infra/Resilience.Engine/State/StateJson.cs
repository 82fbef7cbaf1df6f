using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Resilience.Engine.State;

/// <summary>The one JSON shape of every file the engine writes: camelCase, indented, enums as strings.</summary>
public static class StateJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(byte[] utf8, string path) =>
        JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new InvalidDataException($"{path}: empty JSON document");

    /// <summary>Reads a state file the engine wrote; one it cannot read is a <see cref="StateDamagedException"/> with <paramref name="wayOut"/>.</summary>
    public static T Read<T>(string path, string wayOut)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options) ?? throw new StateDamagedException(path, "holds no document (null)", wayOut);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            var problem = bytes.Length == 0 ? "is empty" : $"is not a readable state file ({bytes.Length} bytes, JSON broken{where})";
            throw new StateDamagedException(path, problem, wayOut);
        }
    }
}
