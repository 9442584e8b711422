using System.Globalization;
using System.Text.RegularExpressions;

namespace Sched.Contracts.Quantities;

/// <summary>
/// Reads and writes the memory sizes and CPU counts a manifest or CLI flag carries.
/// Memory units are binary whatever their spelling, as in podman and docker: <c>256m</c> is <c>256Mi</c>.
/// </summary>
public static partial class Quantity
{
    public const string MemoryHint = "a size such as 256Mi, 256m, 1Gi or 1g";
    public const string CpusHint = "a number of cores such as 0.5, 2 or 250m (millicores)";

    // Every spelling is binary: "", "b"; then k, kb, ki, kib and the same for m, g and t.
    private static readonly Dictionary<string, long> MemoryUnits = BuildMemoryUnits();

    // Largest first: formatting prefers the biggest unit that still reads exactly.
    private static readonly (string Suffix, long Size)[] FormatUnits =
        [("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    /// <summary>Parses a byte count such as <c>1048576</c>, <c>256Mi</c>, <c>256m</c> or <c>1.5 GiB</c>.</summary>
    /// <remarks>A fractional result is truncated to whole bytes, as docker does.</remarks>
    public static bool TryParseMemory(string? text, out long bytes)
    {
        bytes = 0;
        var match = text is null ? Match.Empty : MemoryPattern().Match(text.Trim());
        if (!match.Success
            || !MemoryUnits.TryGetValue(match.Groups["unit"].Value, out var unit)
            || !TryParseDecimal(match.Groups["number"].Value, out var number)
            || number > long.MaxValue / unit)
        {
            return false;
        }

        bytes = (long)decimal.Truncate(number * unit);
        return true;
    }

    /// <summary>Parses cores (<c>0.25</c>, <c>2</c>) or millicores (<c>250m</c>); finer than a millicore is refused.</summary>
    public static bool TryParseCpus(string? text, out int milliCpus)
    {
        milliCpus = 0;
        var trimmed = text?.Trim() ?? "";
        decimal milli;
        if (MilliCpuPattern().IsMatch(trimmed))
        {
            if (!TryParseDecimal(trimmed[..^1], out milli))
            {
                return false;
            }
        }
        else if (DecimalPattern().IsMatch(trimmed) && TryParseDecimal(trimmed, out var cores)
            && cores <= int.MaxValue / 1000m)
        {
            milli = cores * 1000;
        }
        else
        {
            return false;
        }

        if (milli <= 0 || milli > int.MaxValue || milli != decimal.Truncate(milli))
        {
            return false;
        }

        milliCpus = (int)milli;
        return true;
    }

    /// <summary>
    /// The shortest exact binary form: a whole number of some unit, or up to two decimals of the largest unit
    /// (<c>64Mi</c>, <c>1.5Gi</c>, <c>1Ki</c>); under 1Ki a plain byte count. When neither is exact, the largest
    /// unit rounded to two decimals (<c>1.21Gi</c>).
    /// </summary>
    public static string FormatMemory(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture);
        }

        var largest = FormatUnits.First(unit => bytes >= unit.Size);
        var largestValue = (decimal)bytes / largest.Size;
        string? shortest = largestValue == decimal.Round(largestValue, 2) ? FormatDecimal(largestValue) + largest.Suffix : null;
        foreach (var (suffix, size) in FormatUnits.Where(unit => bytes % unit.Size == 0))
        {
            var candidate = (bytes / size).ToString(CultureInfo.InvariantCulture) + suffix;
            shortest = shortest is null || candidate.Length < shortest.Length ? candidate : shortest;
        }

        return shortest ?? FormatDecimal(decimal.Round(largestValue, 2)) + largest.Suffix;
    }

    /// <summary>
    /// A size for people to read, rounded to at most two decimals of the largest unit that fits:
    /// 24788398080 → <c>23.09Gi</c>. Not exact; manifests use <see cref="FormatMemory"/>.
    /// </summary>
    public static string DescribeMemory(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture);
        }

        var largest = FormatUnits.First(unit => bytes >= unit.Size);
        return FormatDecimal(decimal.Round((decimal)bytes / largest.Size, 2)) + largest.Suffix;
    }

    /// <summary>Cores as a plain decimal: 250 → <c>0.25</c>, 2000 → <c>2</c>.</summary>
    public static string FormatCpus(int milliCpus) => FormatDecimal(milliCpus / 1000m);

    private static Dictionary<string, long> BuildMemoryUnits()
    {
        var units = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase) { [""] = 1, ["b"] = 1 };
        var shift = 0;
        foreach (var prefix in "kmgt")
        {
            shift += 10;
            foreach (var ending in (string[])["", "b", "i", "ib"])
            {
                units[prefix + ending] = 1L << shift;
            }
        }

        return units;
    }

    private static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    private static string FormatDecimal(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(?<unit>[A-Za-z]*)\z")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^[0-9]+m\z")]
    private static partial Regex MilliCpuPattern();

    [GeneratedRegex(@"^(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\z")]
    private static partial Regex DecimalPattern();
}
