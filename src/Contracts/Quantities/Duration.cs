using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sched.Contracts.Quantities;

/// <summary>Reads and writes short durations such as <c>2s</c>, <c>500ms</c>, <c>1m30s</c> or <c>1.5h</c>.</summary>
public static partial class Duration
{
    public const string Hint = "a duration such as 2s, 500ms, 1m or 1m30s (units ms, s, m, h)";

    private const decimal MaxMilliseconds = long.MaxValue / TimeSpan.TicksPerMillisecond;

    /// <summary>
    /// Parses one or more number-unit parts (<c>1h2m3s</c>); <c>0</c> alone is zero.
    /// Finer than a millisecond is refused.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text?.Trim() ?? "";
        if (trimmed == "0")
        {
            return true;
        }

        var match = DurationPattern().Match(trimmed);
        if (!match.Success)
        {
            return false;
        }

        var milliseconds = 0m;
        var numbers = match.Groups["number"].Captures;
        var units = match.Groups["unit"].Captures;
        for (var i = 0; i < numbers.Count; i++)
        {
            if (!decimal.TryParse(numbers[i].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                    out var number) || number > MaxMilliseconds)
            {
                return false;
            }

            milliseconds += number * MillisecondsPer(units[i].Value);
            if (milliseconds > MaxMilliseconds)
            {
                return false;
            }
        }

        if (milliseconds != decimal.Truncate(milliseconds))
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds((long)milliseconds);
        return true;
    }

    /// <summary>The shortest form <see cref="TryParse"/> reads back: <c>2s</c>, <c>500ms</c>, <c>1m30s</c>, <c>1.5s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var totalMilliseconds = (long)duration.TotalMilliseconds;
        if (totalMilliseconds == 0)
        {
            return "0s";
        }

        if (totalMilliseconds < 1000)
        {
            return totalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var text = new StringBuilder();
        var hours = totalMilliseconds / 3_600_000;
        var minutes = totalMilliseconds / 60_000 % 60;
        var seconds = totalMilliseconds % 60_000 / 1000m;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }

        if (seconds > 0)
        {
            text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        }

        return text.ToString();
    }

    private static decimal MillisecondsPer(string unit) => unit.ToLowerInvariant() switch
    {
        "ms" => 1m,
        "s" => 1_000m,
        "m" => 60_000m,
        _ => 3_600_000m,
    };

    [GeneratedRegex(@"^(?:(?<number>[0-9]+(?:\.[0-9]+)?)(?<unit>ms|s|m|h))+\z", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();
}
