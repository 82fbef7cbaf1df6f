using System.Text.Json.Nodes;
using Resilience.Engine.Planning;
using Resilience.Model;

namespace Resilience.Cli.Views;

/// <summary>How one property change reads: a line diff for multi-line text (a file's content), else old => new.</summary>
public sealed class ChangeText(PropertyChange change)
{
    private TextDiff? _diff;

    public PropertyChange Change { get; } = change;

    /// <summary>A secret on either side: nothing of its value is shown, not even a line diff.</summary>
    public bool Secret => IsMask(Change.Old) || IsMask(Change.New);

    public bool MultiLine => !Secret && (Text(Change.Old)?.Contains('\n') == true || Text(Change.New)?.Contains('\n') == true);

    public TextDiff Diff => _diff ??= TextDiff.Between(Text(Change.Old), Text(Change.New));

    /// <summary>"+12 -3 lines" for a multi-line change.</summary>
    public string Counts => $"+{Diff.Added} -{Diff.Removed} lines";

    /// <summary>One line for a value that is not diffed line by line.</summary>
    public string Scalar => Secret
        ? $"{Model.Secret.Mask} (changed, not shown)"
        : Change.Kind switch
        {
            ChangeKind.Added => $"+ {Show(Change.New)}",
            ChangeKind.Removed => $"- {Show(Change.Old)}",
            _ => $"{Show(Change.Old)} => {Show(Change.New)}",
        };

    public static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool IsMask(JsonNode? node) => Text(node) == Model.Secret.Mask;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
