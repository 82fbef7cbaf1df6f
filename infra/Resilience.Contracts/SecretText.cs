using System.Text.Json;
using System.Text.Json.Serialization;
using Resilience.Model;

namespace Resilience.Contracts;

/// <summary>
/// A string input that may be a secret: plain JSON text, or <c>{"$secret": "…"}</c> (<see cref="Secret"/>). Only a
/// member of this type may carry a secret; the shared reader refuses one anywhere else.
/// </summary>
[JsonConverter(typeof(SecretTextConverter))]
public sealed record SecretText(string Value, bool IsSecret)
{
    public static SecretText Plain(string value) => new(value, false);

    public static SecretText Hidden(string value) => new(value, true);

    /// <summary>Masked when secret: safe in messages.</summary>
    public override string ToString() => IsSecret ? Secret.Mask : Value;
}

internal sealed class SecretTextConverter : JsonConverter<SecretText>
{
    public override SecretText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("inputs are read by ContractReader, which reports every problem instead of the first");

    public override void Write(Utf8JsonWriter writer, SecretText value, JsonSerializerOptions options)
    {
        if (!value.IsSecret)
        {
            writer.WriteStringValue(value.Value);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString(Secret.Key, value.Value);
        writer.WriteEndObject();
    }
}
