using System.Text.Json.Serialization;

namespace Resilience.Engine.Planning;

[JsonConverter(typeof(JsonStringEnumConverter<StepKind>))]
public enum StepKind
{
    Same,
    Create,
    Update,
    Reload,
    Replace,
    Delete,
}

public static class StepKinds
{
    public static string Name(this StepKind kind) => kind.ToString().ToLowerInvariant();
}
