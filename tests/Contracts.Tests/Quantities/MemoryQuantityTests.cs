using Sched.Contracts.Quantities;

namespace Sched.Contracts.Tests.Quantities;

public class MemoryQuantityTests
{
    [Theory]
    [InlineData("1048576", 1_048_576L)]
    [InlineData("0", 0L)]
    [InlineData("100b", 100L)]
    [InlineData("1k", 1024L)]
    [InlineData("1KB", 1024L)]
    [InlineData("1Ki", 1024L)]
    [InlineData("1KiB", 1024L)]
    [InlineData("256m", 268_435_456L)]
    [InlineData("256Mi", 268_435_456L)]
    [InlineData("256MB", 268_435_456L)]
    [InlineData("256mib", 268_435_456L)]
    [InlineData("1g", 1_073_741_824L)]
    [InlineData("1Gi", 1_073_741_824L)]
    [InlineData("1.5Gi", 1_610_612_736L)]
    [InlineData("1.5 GiB", 1_610_612_736L)]
    [InlineData("2t", 2_199_023_255_552L)]
    [InlineData(" 64Mi ", 67_108_864L)]
    public void Accepts_byte_counts_and_binary_sizes_in_any_spelling(string text, long expected)
    {
        Assert.True(Quantity.TryParseMemory(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-1")]
    [InlineData("-256Mi")]
    [InlineData("12xb")]
    [InlineData("Mi")]
    [InlineData("1.2.3g")]
    [InlineData("1,5g")]
    [InlineData("1e3")]
    [InlineData("256 M i")]
    [InlineData("1Pi")]
    [InlineData("9999999999Ti")]
    [InlineData("99999999999999999999999999999999")]
    public void Rejects_negatives_garbage_and_overflow(string? text)
    {
        Assert.False(Quantity.TryParseMemory(text, out _));
    }

    [Theory]
    [InlineData(67_108_864L, "64Mi")]
    [InlineData(1_610_612_736L, "1.5Gi")]
    [InlineData(1000L, "1000")]
    [InlineData(0L, "0")]
    [InlineData(1024L, "1Ki")]
    [InlineData(1_073_741_824L, "1Gi")]
    [InlineData(1_181_116_006L, "1.1Gi")]
    [InlineData(1_300_000_000L, "1.21Gi")]
    [InlineData(1_125_899_906_842_624L, "1024Ti")]
    public void Formats_the_shortest_binary_form(long bytes, string expected)
    {
        Assert.Equal(expected, Quantity.FormatMemory(bytes));
    }

    [Theory]
    [InlineData(6_291_456L)]
    [InlineData(268_435_456L)]
    [InlineData(1_610_612_736L)]
    [InlineData(1_342_177_280L)]
    public void Exact_formatted_sizes_parse_back_to_the_same_bytes(long bytes)
    {
        Assert.True(Quantity.TryParseMemory(Quantity.FormatMemory(bytes), out var readBack));
        Assert.Equal(bytes, readBack);
    }
}
