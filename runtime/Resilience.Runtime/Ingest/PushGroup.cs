using System.Text;

namespace Resilience.Runtime.Ingest;

/// <summary>
/// The grouping key of a Pushgateway push, from the path after <c>/metrics/</c>:
/// <c>job/&lt;job&gt;{/&lt;label&gt;/&lt;value&gt;}</c>, where a name ending in <c>@base64</c> has a base64url value.
/// </summary>
public sealed record PushGroup(IReadOnlyList<KeyValuePair<string, string>> Labels)
{
    public static PushGroup Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 2 || parts.Length % 2 != 0 || parts[0] is not ("job" or "job@base64"))
        {
            throw new FormatException($"'{path}' is not job/<job>{{/<label>/<value>}}");
        }
        var labels = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < parts.Length; i += 2)
        {
            var (name, value) = Decode(parts[i], Uri.UnescapeDataString(parts[i + 1]));
            if (!ExpositionParser.IsLabelName(name) || name.StartsWith("__", StringComparison.Ordinal) || labels.Any(l => l.Key == name))
            {
                throw new FormatException($"invalid or repeated grouping label '{name}'");
            }
            if (name == "job" && value.Length == 0)
            {
                throw new FormatException("the job name must not be empty");
            }
            labels.Add(new(name, value));
        }
        return new PushGroup(labels);
    }

    private static (string Name, string Value) Decode(string name, string value)
    {
        const string suffix = "@base64";
        if (!name.EndsWith(suffix, StringComparison.Ordinal))
        {
            return (name, value);
        }
        var b64 = value.Replace('-', '+').Replace('_', '/').TrimEnd('=');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        return (name[..^suffix.Length], Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
    }
}
