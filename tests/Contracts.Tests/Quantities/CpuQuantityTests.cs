using Sched.Contracts.Quantities;

namespace Sched.Contracts.Tests.Quantities;

public class CpuQuantityTests
{
    [Theory]
    [InlineData("0.25", 250)]
    [InlineData("2", 2000)]
    [InlineData("0.5", 500)]
    [InlineData(".5", 500)]
    [InlineData("1.5", 1500)]
    [InlineData("0.001", 1)]
    [InlineData("0.2500", 250)]
    [InlineData("500m", 500)]
    [InlineData("1m", 1)]
    [InlineData("2500m", 2500)]
    public void Accepts_decimal_cores_and_millicores(string text, int expected)
    {
        Assert.True(Quantity.TryParseCpus(text, out var milliCpus));
        Assert.Equal(expected, milliCpus);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0m")]
    [InlineData("-1")]
    [InlineData("0.0001")]
    [InlineData("1.0005")]
    [InlineData("0.5m")]
    [InlineData("500M")]
    [InlineData("two")]
    [InlineData("1e3")]
    [InlineData("99999999")]
    public void Rejects_zero_negatives_garbage_and_sub_millicore_precision(string? text)
    {
        Assert.False(Quantity.TryParseCpus(text, out _));
    }

    [Theory]
    [InlineData(250, "0.25")]
    [InlineData(2000, "2")]
    [InlineData(1500, "1.5")]
    [InlineData(1, "0.001")]
    public void Formats_cores_as_a_plain_decimal(int milliCpus, string expected)
    {
        Assert.Equal(expected, Quantity.FormatCpus(milliCpus));
    }
}
