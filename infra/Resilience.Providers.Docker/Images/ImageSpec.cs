using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Providers.Docker.Images;

public enum ImageSource
{
    Local,
    Registry,
}

/// <summary>The inputs of a "docker:image" resource.</summary>
public sealed record ImageSpec(string Name, ImageSource Source, ImageBuildSpec? Build)
{
    public ImageReference Reference => ImageReference.Parse(Name);

    public static (ImageSpec? Spec, IReadOnlyList<string> Problems) Parse(Resource resource)
    {
        var reader = new SpecReader(resource.Urn);
        var inputs = resource.Inputs;
        var name = reader.String(inputs, "name", "", required: true);
        if (!string.IsNullOrEmpty(name) && !ImageReference.Parse(name).IsPinned)
        {
            reader.Problem("name", $"'{name}' must carry a version tag other than 'latest'");
        }

        var sourceText = reader.String(inputs, "source", "") ?? "local";
        ImageSource? source = sourceText switch
        {
            "local" => ImageSource.Local,
            "registry" => ImageSource.Registry,
            _ => null,
        };
        if (source is null) reader.Problem("source", $"must be 'local' or 'registry', not '{sourceText}'");

        var buildNode = reader.Object(inputs, "build", "", required: source == ImageSource.Local);
        if (source == ImageSource.Registry && buildNode is not null) reader.Problem("build", "is only allowed with source 'local'");
        var build = source == ImageSource.Local && buildNode is not null ? ImageBuildSpec.Parse(buildNode, reader) : null;
        reader.StringMap(inputs, "labels", "");

        return reader.Problems.Count == 0 ? (new ImageSpec(name!, source!.Value, build), []) : (null, reader.Problems);
    }
}
