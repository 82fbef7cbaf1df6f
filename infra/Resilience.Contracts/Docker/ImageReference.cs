namespace Resilience.Contracts.Docker;

/// <summary>An image name split into repository and tag ("resilience/prometheus:2.42.0").</summary>
public sealed record ImageReference(string Repository, string? Tag)
{
    public static ImageReference Parse(string name)
    {
        var colon = name.LastIndexOf(':');
        // A colon before the last slash belongs to a registry host with a port, not to a tag.
        return colon > name.LastIndexOf('/') ? new(name[..colon], name[(colon + 1)..]) : new(name, null);
    }

    /// <summary>True when the name pins a version: it has a tag and the tag is not "latest".</summary>
    public bool IsPinned => !string.IsNullOrEmpty(Tag) && Tag != "latest";

    public override string ToString() => Tag is null ? Repository : $"{Repository}:{Tag}";
}
