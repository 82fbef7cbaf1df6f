using Resilience.Operations.Gates;

namespace Resilience.Tests.Operations.Gates;

/// <summary>Canned /api/v1/query answers (shapes as Prometheus 2.42 gave them on the demo) judged by a check.</summary>
public sealed class PrometheusAnswerTests
{
    private const string TwoAgents = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"agent":"ObservabilityHub","job":"ObservabilityHub","machine":"pc2"},"value":[1796309547.818,"4.2"]},
          {"metric":{"agent":"ResourceManager","job":"ResourceManager","machine":"pc2"},"value":[1796309547.818,"41"]}]}}
        """;

    private const string Empty = """{"status":"success","data":{"resultType":"vector","result":[]}}""";

    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-03T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static CheckDefinition Check(OnNoData onNoData, string condition = "result <= 30") => new()
    {
        Name = "samples-on-edgehub",
        Probe = new ProbeSpec.PromQl("edgehub", "x", null),
        SuccessCondition = Condition.Parse(condition, new HashSet<string> { "result" }),
        Interval = TimeSpan.FromSeconds(1),
        Observation = TimeSpan.Zero,
        FailureLimit = 0,
        InconclusiveLimit = 0,
        OnNoData = onNoData,
    };

    private static Measurement Judge(CheckDefinition check, string answer, IReadOnlyCollection<string>? expected = null) =>
        MeasurementJudge.Judge(check, PrometheusAnswer.Parse(answer), expected, new Dictionary<string, GateValue>(), null, At);

    [Fact]
    public void A_vector_is_one_series_per_agent_and_every_one_must_meet_the_condition()
    {
        var m = Judge(Check(OnNoData.Fail), TwoAgents);

        Assert.Equal(Phase.Failed, m.Phase);
        Assert.Equal("1/2 ok (4.2..41)", m.Value);
        Assert.Contains("ResourceManager=41", m.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("ObservabilityHub", m.Detail, StringComparison.Ordinal);
        Assert.Equal(Phase.Passed, Judge(Check(OnNoData.Fail, "result <= 41"), TwoAgents).Phase);
    }

    [Theory]
    [InlineData(OnNoData.Fail, Phase.Failed)]
    [InlineData(OnNoData.Inconclusive, Phase.Inconclusive)]
    [InlineData(OnNoData.Pass, Phase.Passed)]
    public void An_empty_result_is_judged_by_onNoData_never_by_the_condition(OnNoData onNoData, Phase phase)
    {
        var m = Judge(Check(onNoData), Empty);

        Assert.Equal(phase, m.Phase);
        Assert.Equal("no data", m.Value);
        Assert.Contains($"onNoData: {onNoData.ToString().ToLowerInvariant()}", m.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expected_agent_without_a_series_fails_even_when_the_others_pass()
    {
        var m = Judge(Check(OnNoData.Pass, "result <= 41"), TwoAgents, ["ObservabilityHub", "ResourceManager", "UnifiedUtilsAgent"]);

        Assert.Equal(Phase.Failed, m.Phase);
        Assert.Contains("no series for UnifiedUtilsAgent", m.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_query_or_an_answer_that_is_not_json_fails_the_measurement()
    {
        var refused = Judge(Check(OnNoData.Pass), """{"status":"error","errorType":"bad_data","error":"parse error at char 5"}""");
        Assert.Equal((Phase.Failed, "error"), (refused.Phase, refused.Value));
        Assert.Contains("bad_data: parse error at char 5", refused.Detail, StringComparison.Ordinal);

        Assert.Equal(Phase.Failed, Judge(Check(OnNoData.Pass), "<html>502</html>").Phase);
    }

    [Fact]
    public void A_scalar_answer_is_one_value()
    {
        var m = Judge(Check(OnNoData.Fail, "result == 3"), """{"status":"success","data":{"resultType":"scalar","result":[1796309547.8,"3"]}}""");

        Assert.Equal((Phase.Passed, "3"), (m.Phase, m.Value));
    }

    [Fact]
    public void Series_without_an_agent_label_are_named_by_their_labels()
    {
        var answer = PrometheusAnswer.Parse("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"edgehub"},"value":[1,"1"]}]}}""");

        var series = Assert.Single(Assert.IsType<ProbeAnswer.Values>(answer).Series);
        Assert.Equal("{job=\"edgehub\"}", series.Label);
    }
}
