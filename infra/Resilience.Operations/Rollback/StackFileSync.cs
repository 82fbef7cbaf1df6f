using System.Globalization;
using System.Text.Json.Nodes;
using Resilience.Secrets;
using Resilience.Stack.Config;

namespace Resilience.Operations.Rollback;

/// <summary>
/// Puts a recorded config back into the stack file through the editor `config set` uses: only the lines of the
/// keys that differ change (comments and the other lines stay byte-identical), secure values go back as their
/// Pulumi ciphertext, never decrypted.
/// </summary>
public static class StackFileSync
{
    /// <summary>What makes <paramref name="current"/>'s stack file describe <paramref name="recorded"/>; empty when it already does.</summary>
    /// <param name="what">The recorded config's origin for messages ("version 3").</param>
    /// <exception cref="RollbackRefusedException">A recorded value the stack file cannot take back (named, with what to do).</exception>
    public static IReadOnlyList<ConfigEdit> Edits(StackConfig current, JsonObject recorded, string what)
    {
        var prefix = current.Project + ":";
        var now = ConfigSnapshot.Of(current);
        var edits = new List<ConfigEdit>();
        foreach (var key in recorded.Select(p => p.Key).Union(now.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var present = recorded.TryGetPropertyValue(key, out var value);
            if (present && JsonNode.DeepEquals(value, now[key])) continue;
            var shortKey = key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;
            // TLS and credential material is not desired state: an old value back would be a retired password or an old certificate.
            if (SecurityKeys.IsMaterial(shortKey)) continue;
            if (!current.Declarations.TryGetValue(shortKey, out var declaration))
                throw new RollbackRefusedException($"{what} set {key}, which Pulumi.yaml no longer declares: roll the project back to that version's commit first, or run `up`");
            var inStackFile = current.Find(shortKey)?.File == current.StackFile;
            if (!present)
            {
                if (inStackFile) edits.Add(new ConfigEdit(key, ConfigEditKind.Remove, null));
                continue;
            }
            if (ConfigSnapshot.Ciphertext(value) is { } ciphertext)
            {
                edits.Add(new ConfigEdit(key, ConfigEditKind.SetSecure, ciphertext));
                continue;
            }
            if (value is not JsonValue scalar || !scalar.TryGetValue<string>(out var text))
            {
                throw new RollbackRefusedException(
                    $"{what} set {key} to {value?.ToJsonString() ?? "null"}, which the stack file editor cannot write: set it in {current.StackFile} by hand, then run this rollback again");
            }
            edits.Add(new ConfigEdit(key, ConfigEditKind.Set, text, declaration.Type));
        }
        return edits;
    }

    /// <exception cref="StackFileException">The file changed on disk since it was read, or an edit is refused.</exception>
    public static void Apply(string stackFile, IReadOnlyList<ConfigEdit> edits)
    {
        if (edits.Count == 0) return;
        var editor = StackFileEditor.Load(stackFile);
        foreach (var edit in edits)
        {
            switch (edit.Kind)
            {
                case ConfigEditKind.Remove:
                    editor.Remove(edit.Key);
                    break;
                case ConfigEditKind.SetSecure:
                    editor.SetSecure(edit.Key, edit.Value!);
                    break;
                case ConfigEditKind.Set when edit.Type == "integer" && long.TryParse(edit.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                    editor.Set(edit.Key, number);
                    break;
                case ConfigEditKind.Set when edit.Type == "boolean" && edit.Value is "true" or "false":
                    editor.Set(edit.Key, edit.Value == "true");
                    break;
                default:
                    editor.Set(edit.Key, edit.Value!);
                    break;
            }
        }
        editor.Save();
    }
}
