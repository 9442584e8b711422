using Sched.Contracts.Quantities;

namespace Sched.Contracts.Tests.Quantities;

public class DurationTests
{
    [Theory]
    [InlineData("2s", 2_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m", 60_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("2S", 2_000)]
    public void Accepts_numbers_with_ms_s_m_h_units(string text, long expectedMilliseconds)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("-2s")]
    [InlineData("2 s")]
    [InlineData("2d")]
    [InlineData("0.5ms")]
    [InlineData("s")]
    [InlineData("99999999999999999h")]
    public void Rejects_missing_units_unknown_units_and_sub_millisecond_precision(string? text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(2_000, "2s")]
    [InlineData(500, "500ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(1_500, "1.5s")]
    [InlineData(0, "0s")]
    public void Formats_in_a_form_that_parses_back(long milliseconds, string expected)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);
        Assert.Equal(expected, Duration.Format(duration));
        Assert.True(Duration.TryParse(expected, out var readBack));
        Assert.Equal(duration, readBack);
    }
}
