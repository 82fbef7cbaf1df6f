using Resilience.Operations.Gates;

namespace Resilience.Tests.Operations.Gates;

public sealed class ConditionTests
{
    private static readonly HashSet<string> Known = ["result", "baseline", "scrapeInterval"];

    private static bool Met(string condition, GateValue result, double? baseline = null)
    {
        var values = new Dictionary<string, GateValue> { ["result"] = result, ["scrapeInterval"] = GateValue.Of(15) };
        if (baseline is { } b) values["baseline"] = GateValue.Of(b);
        return Condition.Parse(condition, Known).IsMet(values);
    }

    [Theory]
    [InlineData("result == 1", 1, true)]
    [InlineData("result == 1", 0, false)]
    [InlineData("result != 1", 0, true)]
    [InlineData("result <= 2 * scrapeInterval", 30, true)]
    [InlineData("result <= 2 * scrapeInterval", 30.5, false)]
    [InlineData("result >= 0.999", 0.9989, false)]
    [InlineData("result > 1 && result < 3", 2, true)]
    [InlineData("result < 1 || result > 3", 2, false)]
    [InlineData("!(result > 1)", 2, false)]
    [InlineData("not result > 1 or result == 2", 2, true)]
    [InlineData("result - 1 == -(0 - 1) * 4 / 2", 3, true)]
    [InlineData("result == 1.5e1", 15, true)]
    public void Numbers_compare_and_combine_as_written(string condition, double result, bool met) =>
        Assert.Equal(met, Met(condition, GateValue.Of(result)));

    [Fact]
    public void A_baseline_condition_allows_ten_percent_and_no_more()
    {
        Assert.True(Met("result <= baseline * 1.1", GateValue.Of(0.11), baseline: 0.1));
        Assert.False(Met("result <= baseline * 1.1", GateValue.Of(0.111), baseline: 0.1));
    }

    [Fact]
    public void Texts_and_truth_values_compare_for_equality()
    {
        Assert.True(Met("result == \"local-hub\"", GateValue.Of("local-hub")));
        Assert.False(Met("result == 'local-hub'", GateValue.Of("remote-hub")));
        Assert.True(Met("result == false", GateValue.Of(false)));
        // Prometheus answers numbers as strings: they are numbers
        Assert.True(Met("result == 4", GateValue.Parse("4")));
    }

    [Theory]
    [InlineData("result ==", "ends where a value")]
    [InlineData("result == 1 )", "unexpected ')'")]
    [InlineData("(result == 1", "')' expected")]
    [InlineData("result == \"open", "not closed")]
    [InlineData("result <= latency", "unknown name 'latency'")]
    [InlineData("result = 1", "unexpected '= 1'")]
    public void A_malformed_condition_is_refused_with_its_column(string condition, string problem)
    {
        var e = Assert.Throws<ConditionException>(() => Condition.Parse(condition, Known));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Column, 1, condition.Length + 1);
    }

    [Fact]
    public void Comparing_a_text_with_a_number_or_ordering_texts_is_an_error_not_a_false()
    {
        Assert.Throws<ConditionException>(() => Met("result == 1", GateValue.Of("local-hub")));
        Assert.Throws<ConditionException>(() => Met("result < \"b\"", GateValue.Of("a")));
        Assert.Throws<ConditionException>(() => Met("result + 1", GateValue.Of(1)));
    }
}
