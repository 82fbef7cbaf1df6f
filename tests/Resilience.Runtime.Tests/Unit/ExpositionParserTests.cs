using Resilience.Runtime.Ingest;

namespace Resilience.Runtime.Tests.Unit;

public class ExpositionParserTests
{
    [Fact]
    public void Parses_names_labels_values_and_timestamps()
    {
        var lines = ExpositionParser.Parse("""
            # HELP x A gauge.
            # TYPE x gauge
            x{a="b",c="d \"q\" \\ \n"} 1.5
            y 2 1700000000000
            z{le="+Inf",} +Inf
            nan_metric NaN
            """);
        Assert.Equal(4, lines.Count);
        Assert.Equal("x", lines[0].Name);
        Assert.Equal([new("a", "b"), new("c", "d \"q\" \\ \n")], lines[0].Labels);
        Assert.Equal(1.5, lines[0].Value);
        Assert.Equal(1700000000000, lines[1].TimestampMs);
        Assert.Equal(double.PositiveInfinity, lines[2].Value);
        Assert.True(double.IsNaN(lines[3].Value));
    }

    [Theory]
    [InlineData("x{a=\"b\" 1", "line 1")]
    [InlineData("9x 1", "invalid metric name")]
    [InlineData("x abc", "invalid value")]
    [InlineData("x 1 2 3", "after the timestamp")]
    [InlineData("x{a=\"1\",a=\"2\"} 1", "appears twice")]
    [InlineData("x", "missing value")]
    public void Reports_the_line_and_the_problem(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ExpositionParser.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Grouping_labels_override_pushed_ones_and_samples_get_the_ingest_time_and_the_machine()
    {
        var batch = PushBatch.Create("POST", "job/j1/instance/i1", "m{job=\"other\",x=\"1\"} 3\nn 4\n", 1234, "pc2");
        var first = batch.Samples[0];
        Assert.Equal([new("__name__", "m"), new("instance", "i1"), new("job", "j1"), new("machine", "pc2"), new("x", "1")], first.Labels);
        Assert.All(batch.Samples, s => Assert.Equal(1234, s.TimestampMs));
    }

    [Theory]
    [InlineData("job/j", "n 4 99\n", "must not have timestamps")]
    [InlineData("job/j", "x{__name__=\"y\"} 1\n", "reserved")]
    [InlineData("job/j/__name__/z", "x 1\n", "grouping label '__name__'")]
    public void Refuses_what_the_pushgateway_refuses(string group, string body, string expected)
    {
        var e = Assert.Throws<FormatException>(() => PushBatch.Create("PUT", group, body, 1, "pc2"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Reads_special_values_in_any_case_as_go_does()
    {
        var lines = ExpositionParser.Parse("a inf\nb -INF\nc +Inf\nd nan\n");
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity], lines.Take(3).Select(l => l.Value));
        Assert.True(double.IsNaN(lines[3].Value));
    }

    [Theory]
    [InlineData("job/j", "m{machine=\"agent-says\"} 1", "agent-says")]
    [InlineData("job/j/machine/grouping-says", "m{machine=\"agent-says\"} 1", "grouping-says")]
    [InlineData("job/j", "m{machine=\"\"} 1", "pc2")]
    public void A_machine_label_given_by_the_push_is_kept(string group, string body, string expected)
    {
        var sample = Assert.Single(PushBatch.Create("PUT", group, body + "\n", 1, "pc2").Samples);
        Assert.Equal(expected, sample.Labels.Single(l => l.Key == "machine").Value);
    }

    [Fact]
    public void Decodes_base64_grouping_values()
    {
        var group = PushGroup.Parse("job/j/path@base64/L3Zhci90bXA");
        Assert.Equal(new KeyValuePair<string, string>("path", "/var/tmp"), group.Labels[1]);
    }

    [Theory]
    [InlineData("job")]
    [InlineData("instance/x")]
    [InlineData("job/j/odd")]
    [InlineData("job/")]
    public void Rejects_bad_grouping_paths(string path) =>
        Assert.Throws<FormatException>(() => PushGroup.Parse(path));

    [Fact]
    public void Ingest_clock_is_strictly_increasing()
    {
        var clock = new IngestClock(TimeProvider.System);
        var stamps = Enumerable.Range(0, 1000).Select(_ => clock.Next()).ToList();
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
        Assert.Equal(stamps.OrderBy(s => s), stamps);
    }
}
