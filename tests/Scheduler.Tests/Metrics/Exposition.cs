using System.Globalization;
using System.Text;
using Prometheus;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>A registry read back as Prometheus reads it: each sample line's series (name and labels) and value.</summary>
internal static class Exposition
{
    public static async Task<string> Text(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Series such as <c>sched_restarts_total{reason="oom"}</c> mapped to their values.</summary>
    public static async Task<IReadOnlyDictionary<string, double>> Samples(CollectorRegistry registry) =>
        (await Text(registry)).Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>The series of one metric name.</summary>
    public static IReadOnlyDictionary<string, double> Of(this IReadOnlyDictionary<string, double> samples, string name) =>
        samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
