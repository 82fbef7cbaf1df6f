using Resilience.Providers.JetStream;

namespace Resilience.Tests.JetStream;

public class GoDurationTests
{
    [Theory]
    [InlineData("24h", 24 * 3600.0)]
    [InlineData("168h", 168 * 3600.0)]
    [InlineData("2m", 120.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("30s", 30.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0.0)]
    [InlineData("0s", 0.0)]
    public void Parses_go_durations(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("1d")]
    [InlineData("-5s")]
    [InlineData("5s ")]
    [InlineData("h")]
    public void Rejects_what_go_would_not_parse(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("24h")]
    [InlineData("1h30m")]
    [InlineData("2m")]
    [InlineData("1m30s")]
    [InlineData("500ms")]
    [InlineData("0s")]
    public void Formats_compactly_and_round_trips(string text)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(text, GoDuration.Format(value));
    }
}
