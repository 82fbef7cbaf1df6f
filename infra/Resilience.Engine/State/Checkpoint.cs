using System.Text.Json.Serialization;

namespace Resilience.Engine.State;

/// <summary>The recorded state of one stack, as written to checkpoint.json after every step.</summary>
public sealed class Checkpoint
{
    public const int CurrentFormat = 1;

    public int Format { get; set; } = CurrentFormat;
    public required string Stack { get; set; }
    public DateTimeOffset Updated { get; set; }
    public List<StoredResource> Resources { get; set; } = [];

    /// <summary>Originals of replaced resources that still have to be deleted (their URN now names the replacement).</summary>
    public List<StoredResource> Orphans { get; set; } = [];

    /// <summary>Operations started but not known to have finished: a crash or a failed step leaves them here.</summary>
    public List<PendingOperation> Pending { get; set; } = [];

    /// <summary>"sha256:&lt;hex&gt;" of this checkpoint written without this field; absent in files from before it existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Integrity { get; set; }

    public StoredResource? Find(string urn) => Resources.FirstOrDefault(r => r.Urn == urn);

    /// <summary>Inserts or replaces the record of a URN, keeping its position when it had one.</summary>
    public void Put(StoredResource resource)
    {
        var index = Resources.FindIndex(r => r.Urn == resource.Urn);
        if (index >= 0) Resources[index] = resource;
        else Resources.Add(resource);
    }

    public void Remove(string urn) => Resources.RemoveAll(r => r.Urn == urn);
}

[JsonConverter(typeof(JsonStringEnumConverter<PendingKind>))]
public enum PendingKind
{
    Create,
    Update,
    Delete,
}

/// <param name="Resource">For a create: the desired resource (no outputs yet). Otherwise: the record being changed.</param>
/// <param name="Orphan">A delete of a replaced original (kept in <see cref="Checkpoint.Orphans"/>).</param>
public sealed record PendingOperation(string Id, PendingKind Kind, string Urn, DateTimeOffset Started, StoredResource Resource, bool Orphan = false)
{
    public static PendingOperation Start(PendingKind kind, StoredResource resource, bool orphan = false) =>
        new(Guid.NewGuid().ToString("N")[..12], kind, resource.Urn, DateTimeOffset.UtcNow, resource, orphan);
}
