namespace Resilience.Operations.Gates;

/// <summary>
/// Turns one probe answer into a measurement: an error fails; no data is what onNoData says; values pass when the
/// success condition holds for every series and every expected agent answered (a missing agent fails).
/// </summary>
public static class MeasurementJudge
{
    private const int Shown = 6;

    /// <param name="expected">The agents that must each answer as a series, or null.</param>
    /// <param name="baseline">The recorded baseline, bound as <c>baseline</c> when the check names one.</param>
    public static Measurement Judge(CheckDefinition check, ProbeAnswer answer, IReadOnlyCollection<string>? expected,
        IReadOnlyDictionary<string, GateValue> variables, GateValue? baseline, DateTimeOffset at)
    {
        switch (answer)
        {
            case ProbeAnswer.Error e:
                return new Measurement(at, Phase.Failed, "error", e.Message);
            case ProbeAnswer.NoData n:
                return NoData(check, n.Why, at);
        }
        var series = ((ProbeAnswer.Values)answer).Series;
        var missing = expected?.Except(series.Select(s => s.Label), StringComparer.Ordinal).ToList() ?? [];
        if (series.Count == 0) return NoData(check, "the answer holds no series", at);

        var bound = new Dictionary<string, GateValue>(variables, StringComparer.Ordinal);
        if (baseline is { } b) bound["baseline"] = b;
        var failing = new List<string>();
        foreach (var s in series)
        {
            bound["result"] = s.Value;
            try
            {
                if (!check.SuccessCondition.IsMet(bound)) failing.Add($"{s.Label}={s.Value}");
            }
            catch (ConditionException e)
            {
                failing.Add($"{s.Label}={s.Value} ({e.Message})");
            }
        }
        var value = series.Count == 1 && missing.Count == 0 ? series[0].Value.ToString() : Summary(series, failing, missing);
        if (failing.Count == 0 && missing.Count == 0) return new Measurement(at, Phase.Passed, value, null);
        var parts = new List<string>();
        if (failing.Count > 0) parts.Add($"not {check.SuccessCondition.Text}: {List(failing)}");
        if (missing.Count > 0) parts.Add($"no series for {List(missing)}");
        return new Measurement(at, Phase.Failed, value, string.Join("; ", parts));
    }

    private static Measurement NoData(CheckDefinition check, string why, DateTimeOffset at) => check.OnNoData switch
    {
        OnNoData.Pass => new Measurement(at, Phase.Passed, "no data", $"{why} (onNoData: pass)"),
        OnNoData.Inconclusive => new Measurement(at, Phase.Inconclusive, "no data", $"{why} (onNoData: inconclusive)"),
        _ => new Measurement(at, Phase.Failed, "no data", $"{why} (onNoData: fail)"),
    };

    private static string Summary(IReadOnlyList<Series> series, List<string> failing, List<string> missing)
    {
        var total = series.Count + missing.Count;
        var ok = series.Count - failing.Count;
        var numbers = series.Where(s => s.Value.Number is not null).Select(s => s.Value.Number!.Value).ToList();
        var range = numbers.Count == 0 ? "" : numbers.Min() == numbers.Max()
            ? $" ({GateValue.Format(numbers[0])})"
            : $" ({GateValue.Format(numbers.Min())}..{GateValue.Format(numbers.Max())})";
        return $"{ok}/{total} ok{range}";
    }

    private static string List(List<string> items) =>
        string.Join(", ", items.Take(Shown)) + (items.Count > Shown ? $" and {items.Count - Shown} more" : "");
}
