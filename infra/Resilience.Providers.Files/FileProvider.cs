using System.Text;
using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Files;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.Files;

/// <summary>Host files ("file:file"): agent configs, rendered server configs, secret files.</summary>
public sealed class FileProvider : IProvider
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
        // No owner asked for means "whoever writes it": only a new explicit owner is a change.
        if (now.Owner is { } owner && owner != old.Owner) changed.Add(FileSpec.OwnerKey);
        return changed.Count == 0 ? DiffResult.Same : DiffResult.Update(changed);
    }

    public Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct) => Task.FromResult(Write(desired));

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) =>
        Task.FromResult(Write(desired));

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
        live[FileSpec.ContentKey] = content == spec.Content
            ? recorded.Inputs[FileSpec.ContentKey]?.DeepClone()
            : spec.ContentIsSecret ? Secret.Wrap(content) : JsonValue.Create(content);

        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("file modes and owners need Linux");
        var mode = File.GetUnixFileMode(spec.Path);
        if (mode != spec.Mode) live[FileSpec.ModeKey] = OctalMode.Format(mode);
        else if (recorded.Inputs[FileSpec.ModeKey] is { } recordedMode) live[FileSpec.ModeKey] = recordedMode.DeepClone();

        if (spec.Owner is { } recordedOwner)
        {
            var owner = Posix.OwnerOf(spec.Path);
            live[FileSpec.OwnerKey] = owner == recordedOwner ? recorded.Inputs[FileSpec.OwnerKey]!.DeepClone() : owner.ToString();
        }

        return new ReadResult(live, Outputs(bytes));
    }

    public Task DeleteAsync(ResourceState recorded, CancellationToken ct)
    {
        var spec = FileSpec.Parse(recorded.Inputs);
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
