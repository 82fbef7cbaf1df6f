using Resilience.Platform;

namespace Resilience.Tests.Platform;

/// <summary>The one duration grammar of configs, stream inputs and the runtime.</summary>
public class DurationTests
{
    [Theory]
    [InlineData("24h", 24 * 3600.0)]
    [InlineData("168h", 168 * 3600.0)]
    [InlineData("2m", 120.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("30s", 30.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("1s500ms", 1.5)]
    [InlineData("0", 0.0)]
    [InlineData("0s", 0.0)]
    [InlineData("1d", 86400.0)]
    [InlineData("30d", 30 * 86400.0)]
    [InlineData("1w", 7 * 86400.0)]
    [InlineData("1y", 365 * 86400.0)]
    [InlineData("2d12h", 60 * 3600.0)]
    public void Parses_whole_numbers_with_units_from_largest_to_smallest(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value.Value);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("24", "write 24s")]
    [InlineData("1.5s", "write 1s500ms")]
    [InlineData("1.5h", "write 1h30m")]
    [InlineData("30s1m", "write 1m30s")]
    [InlineData("1m1m", "write 2m")]
    [InlineData("100us", "below a millisecond")]
    [InlineData("-5s", "")]
    [InlineData("5s ", "")]
    [InlineData("h", "")]
    [InlineData("5 s", "")]
    [InlineData("+5s", "")]
    public void Refuses_other_forms_and_says_what_to_write(string text, string hint)
    {
        Assert.False(Duration.TryParse(text, out _, out var problem));
        Assert.StartsWith($"'{text}' is not a duration (500ms, 30s, 5m, 1h30m, 2h)", problem);
        Assert.Contains(hint, problem);
        Assert.Equal(problem, Assert.Throws<FormatException>(() => Duration.Parse(text)).Message);
    }

    [Fact]
    public void A_value_too_long_to_hold_is_refused_not_wrapped()
    {
        Assert.False(Duration.TryParse("99999999999999999y", out _, out var problem));
        Assert.Contains("too long", problem);
    }

    [Theory]
    [InlineData("7d", "write 168h")]
    [InlineData("1w", "write 168h")]
    [InlineData("1d12h", "write 36h")]
    public void Values_for_go_refuse_days_weeks_and_years_and_say_the_hours(string text, string hint)
    {
        Assert.True(Duration.TryParse(text, out _));
        Assert.False(Duration.TryParseGo(text, out _, out var problem));
        Assert.Contains(hint, problem);
        Assert.True(Duration.TryParseGo("168h", out var week, out _));
        Assert.Equal(TimeSpan.FromDays(7), week.Value);
    }

    [Theory]
    [InlineData("24h")]
    [InlineData("1h30m")]
    [InlineData("2m")]
    [InlineData("1m30s")]
    [InlineData("500ms")]
    [InlineData("1s500ms")]
    [InlineData("0s")]
    public void Formats_compactly_and_round_trips(string text)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(text, value.ToString());
        Assert.Equal(value, Duration.Parse(value.ToString()));
    }

    [Fact]
    public void Formats_days_as_hours_which_go_reads_too() =>
        Assert.Equal("720h", Duration.Parse("30d").ToString());
}
