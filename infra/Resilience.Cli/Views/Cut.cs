namespace Resilience.Cli.Views;

/// <summary>The words for diff lines left out of a view: how many, and where the whole diff is.</summary>
public static class Cut
{
    public static string LeftOut(IEnumerable<DiffLine> rest)
    {
        var lines = rest.Where(l => l.Kind != '@').ToList();
        return $"{lines.Count} more diff lines not shown (+{lines.Count(l => l.Kind == '+')} -{lines.Count(l => l.Kind == '-')}); " +
            "preview --json carries the whole diff";
    }
}
