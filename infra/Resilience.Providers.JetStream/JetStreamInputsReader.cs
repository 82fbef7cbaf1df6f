using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>Reads a stream's or consumer's inputs as its contract record, and the durations the record keeps as Go text.</summary>
internal static class JetStreamInputsReader
{
    /// <summary>The record and every problem: the contract's, then each duration that is not one.</summary>
    public static (T Inputs, List<CheckFailure> Failures) Read<T>(JsonObject json, params (string Member, Func<T, string?> Text)[] durations) where T : class
    {
        var read = ContractJson.Read<T>(json);
        var failures = read.Failures.ToList();
        foreach (var (member, text) in durations)
        {
            if (text(read.Value) is { Length: > 0 } value && !Platform.Duration.TryParseGo(value, out _, out var problem))
                failures.Add(new CheckFailure(ResourceContract.Of<T>().Key(member), problem));
        }
        return (read.Value, failures);
    }

    public static TimeSpan? Duration(string? text) => text is { Length: > 0 } && Platform.Duration.TryParseGo(text, out var value, out _) ? value : null;

    /// <summary>The NATS.Net enum value of the same name as the contract's.</summary>
    public static TNats Nats<TContract, TNats>(TContract value) where TContract : struct, Enum where TNats : struct, Enum =>
        Enum.Parse<TNats>(value.ToString());

    /// <summary>The inputs' spelling of a live NATS.Net enum value; one the inputs cannot express (by_start_sequence) still shows, lower-cased.</summary>
    public static string NameOf<TContract, TNats>(TNats value) where TContract : struct, Enum where TNats : struct, Enum =>
        Enum.TryParse<TContract>(value.ToString(), out var known) ? ContractJson.NameOf(known) : value.ToString().ToLowerInvariant();

    public static ArgumentException Invalid(string what, IEnumerable<CheckFailure> failures) => new($"{what}: {string.Join("; ", failures)}");
}
