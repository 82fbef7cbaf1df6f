using System.Text;
using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Files;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.Files;

/// <summary>Host files ("file:file"): agent configs, rendered server configs, secret files.</summary>
/// <param name="canKeepOriginals">
/// The state encrypts secrets (the stack has a passphrase), so a file taken over can be kept there; without one a
/// takeover (<see cref="FileInputs.Takeover"/>) of a file that differs is refused rather than losing the original.
/// </param>
public sealed class FileProvider(bool canKeepOriginals = false) : IProvider
{
    public static readonly string FileType = ResourceTypes.TypeOf<FileInputs>();
    public const string Sha256Output = "sha256";

    public string Family => "file";

    public CheckResult Check(Resource desired)
    {
        if (desired.Type != FileType)
            return CheckResult.Failed(desired, new CheckFailure("", $"unknown type {desired.Type}: the file provider serves only {FileType}"));
        var problems = FileSpec.Problems(desired.Inputs);
        if (problems.Count > 0) return new CheckResult(desired, problems);

        var spec = FileSpec.Parse(desired.Inputs);
        if (spec.Validator is { } validator && ContentValidator.Refusal(validator, spec.Path, spec.Content) is { } refusal)
        {
            var from = spec.Template is { } template ? $" (rendered from {template})" : "";
            return CheckResult.Failed(desired, new CheckFailure(FileSpec.ContentKey, $"{spec.Path}{from} refused by {refusal}"));
        }
        return CheckResult.Valid(desired) with { Observed = new JsonObject { [Sha256Output] = DiskHash(spec.Path) } };
    }

    /// <summary>The hash of what is on disk now; null when there is no file.</summary>
    private static string? DiskHash(string path)
    {
        try
        {
            return ContentHash.Hex(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public DiffResult Diff(ResourceState recorded, CheckResult desired)
    {
        var old = FileSpec.Parse(recorded.Inputs);
        var now = FileSpec.Parse(desired.Desired.Inputs);
        if (old.Path != now.Path) return DiffResult.Replace(ResourceContract.Of<FileInputs>().ReplaceKeys);

        var changed = new List<string>();
        // Also when the disk no longer holds what was written: a config put back after its service refused it is
        // written again, and its service reloaded, by the next up.
        var written = recorded.Outputs[Sha256Output]?.GetValue<string>();
        var onDisk = desired.Observed[Sha256Output]?.GetValue<string>();
        if (old.Content != now.Content || (written is not null && onDisk is not null && onDisk != written)) changed.Add(FileSpec.ContentKey);
        if (old.Mode != now.Mode) changed.Add(FileSpec.ModeKey);
        if (old.Takeover != now.Takeover) changed.Add(FileSpec.TakeoverKey);
        // No owner asked for means "whoever writes it": only a new explicit owner is a change.
        if (now.Owner is { } owner && owner != old.Owner) changed.Add(FileSpec.OwnerKey);
        return changed.Count == 0 ? DiffResult.Same : DiffResult.Update(changed);
    }

    public Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct)
    {
        var spec = FileSpec.Parse(desired.Inputs);
        var original = spec.Takeover is null ? null : TakeOver(spec);
        if (original is not null && spec.Takeover == FileTakeover.Restore)
            return Task.FromResult(WithOriginal(Outputs(original.Content), original)); // the machine's own file is what Phase 1 wants
        return Task.FromResult(WithOriginal(Write(desired), original));
    }

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct)
    {
        var spec = FileSpec.Parse(desired.Inputs);
        var original = OriginalFile.From(recorded.Outputs, spec.Path);
        if (original is not null && spec.Takeover == FileTakeover.Restore)
        {
            PreviousContent.Keep(spec.Path);
            original.PutBack(spec.Path);
            return Task.FromResult(WithOriginal(Outputs(original.Content), original));
        }
        return Task.FromResult(WithOriginal(Write(desired), original));
    }

    /// <summary>The file already at the path when it differs from what is to be written, kept; null when there is none to keep.</summary>
    private OriginalFile? TakeOver(FileSpec spec)
    {
        if (!File.Exists(spec.Path)) return null;
        var original = OriginalFile.Read(spec.Path);
        if (spec.Takeover == FileTakeover.Keep && original.Content.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(spec.Content))) return null;
        if (!canKeepOriginals)
        {
            throw new InvalidOperationException(
                $"{spec.Path} is already there and was not written by resilience: it would be kept in the stack's state, encrypted with the stack's " +
                "passphrase, to be put back later, but this stack has none (set a secret, e.g. `config set --secret natsPassword`, to give it one), " +
                "or move the file aside first");
        }
        return original;
    }

    private static JsonObject WithOriginal(JsonObject outputs, OriginalFile? original)
    {
        if (original is not null) outputs[OriginalFile.OutputKey] = original.ToOutput();
        return outputs;
    }

    public async Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var spec = FileSpec.Parse(recorded.Inputs);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(spec.Path, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var live = new JsonObject { [FileSpec.PathKey] = recorded.Inputs[FileSpec.PathKey]?.DeepClone() };
        // What checks the content and where it came from are not on disk: as recorded.
        foreach (var key in new[] { FileSpec.ValidatorKey, FileSpec.TemplateKey })
        {
            if (recorded.Inputs[key] is { } value) live[key] = value.DeepClone();
        }
        var content = Encoding.UTF8.GetString(bytes);
        var original = OriginalFile.From(recorded.Outputs, spec.Path);
        // In Phase 1 a kept original is what the file should hold: that is no drift.
        var restored = spec.Takeover == FileTakeover.Restore && original is not null && bytes.AsSpan().SequenceEqual(original.Content);
        live[FileSpec.ContentKey] = content == spec.Content || restored
            ? recorded.Inputs[FileSpec.ContentKey]?.DeepClone()
            : spec.ContentIsSecret ? Secret.Wrap(content) : JsonValue.Create(content);

        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("file modes and owners need Linux");
        var mode = File.GetUnixFileMode(spec.Path);
        if (mode != spec.Mode && !restored) live[FileSpec.ModeKey] = OctalMode.Format(mode);
        else if (recorded.Inputs[FileSpec.ModeKey] is { } recordedMode) live[FileSpec.ModeKey] = recordedMode.DeepClone();

        if (spec.Owner is { } recordedOwner)
        {
            var owner = Posix.OwnerOf(spec.Path);
            live[FileSpec.OwnerKey] = owner == recordedOwner ? recorded.Inputs[FileSpec.OwnerKey]!.DeepClone() : owner.ToString();
        }

        if (recorded.Inputs[FileSpec.TakeoverKey] is { } takeover) live[FileSpec.TakeoverKey] = takeover.DeepClone();
        return new ReadResult(live, WithOriginal(Outputs(bytes), original));
    }

    public Task DeleteAsync(ResourceState recorded, CancellationToken ct)
    {
        var spec = FileSpec.Parse(recorded.Inputs);
        if (OriginalFile.From(recorded.Outputs, spec.Path) is { } original)
        {
            // The file was the machine's before the tool took it over: it goes back, not away.
            original.PutBack(spec.Path);
            PreviousContent.Forget(spec.Path);
            return Task.CompletedTask;
        }
        try
        {
            File.Delete(spec.Path);
            PreviousContent.Forget(spec.Path);
        }
        catch (DirectoryNotFoundException)
        {
            // Its directory is gone too: so is the file.
        }
        return Task.CompletedTask;
    }

    private static JsonObject Write(Resource desired)
    {
        var spec = FileSpec.Parse(desired.Inputs);
        var bytes = Encoding.UTF8.GetBytes(spec.Content);
        // Kept for whoever reloads the service reading it: put back if the service refuses the new content.
        PreviousContent.Keep(spec.Path);
        AtomicFile.Write(spec.Path, bytes, spec.Mode, spec.Owner);
        return Outputs(bytes);
    }

    private static JsonObject Outputs(byte[] content) =>
        new() { [Sha256Output] = ContentHash.Hex(content) };
}
