using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Files;
using Resilience.Model;

namespace Resilience.Providers.Files;

/// <summary>A "file:file" (<see cref="FileInputs"/>) as the provider writes it: content revealed, mode and owner parsed.</summary>
public sealed record FileSpec(string Path, string Content, bool ContentIsSecret, UnixFileMode Mode, FileOwner? Owner, string? Validator = null, string? Template = null,
    string? Takeover = null)
{
    private static readonly ResourceContract Contract = ResourceContract.Of<FileInputs>();
    public static readonly string PathKey = Contract.Key(nameof(FileInputs.Path));
    public static readonly string ContentKey = Contract.Key(nameof(FileInputs.Content));
    public static readonly string ModeKey = Contract.Key(nameof(FileInputs.Mode));
    public static readonly string OwnerKey = Contract.Key(nameof(FileInputs.Owner));
    public static readonly string ValidatorKey = Contract.Key(nameof(FileInputs.Validator));
    public static readonly string TemplateKey = Contract.Key(nameof(FileInputs.Template));
    public static readonly string TakeoverKey = Contract.Key(nameof(FileInputs.Takeover));

    public const UnixFileMode DefaultMode = (UnixFileMode)0b110_100_100;       // 0644
    public const UnixFileMode DefaultSecretMode = (UnixFileMode)0b110_000_000; // 0600

    /// <summary>Every problem with the inputs; empty when they are valid.</summary>
    public static IReadOnlyList<CheckFailure> Problems(JsonObject inputs) => Read(inputs).Failures;

    /// <exception cref="ArgumentException">The inputs are invalid (the message lists why).</exception>
    public static FileSpec Parse(JsonObject inputs)
    {
        var (spec, failures) = Read(inputs);
        return failures.Count == 0 ? spec! : throw new ArgumentException(string.Join("; ", failures));
    }

    private static (FileSpec? Spec, List<CheckFailure> Failures) Read(JsonObject inputs)
    {
        var read = ContractJson.Read<FileInputs>(inputs);
        var failures = read.Failures.ToList();
        var file = read.Value;
        var isSecret = file.Content?.IsSecret == true;
        var mode = isSecret ? DefaultSecretMode : DefaultMode;
        if (file.Mode is { } text)
        {
            if (!OctalMode.TryParse(text, out mode)) failures.Add(new CheckFailure(ModeKey, $"'{inputs[ModeKey]?.ToJsonString()}' is not an octal mode such as \"0644\""));
            else if (isSecret && (mode & OctalMode.GroupOrOtherAccess) != 0) failures.Add(new CheckFailure(ModeKey, $"{text} lets group or others read a secret; use 0600 or stricter"));
        }
        FileOwner? owner = file.Owner is { } o && FileOwner.TryParse(o, out var parsed) ? parsed : null;
        return failures.Count == 0 ? (new FileSpec(file.Path, file.Content!.Value, isSecret, mode, owner, file.Validator, file.Template, file.Takeover), failures) : (null, failures);
    }
}
