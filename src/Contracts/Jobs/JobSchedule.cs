using Cronos;

namespace Sched.Contracts.Jobs;

/// <summary>
/// When a periodic job runs: a cron expression (5 fields, or 6 with seconds first, or a macro such as @hourly) in a
/// time zone. Each occurrence starts one run, a job of its own; with AllowOverlap false an occurrence is skipped while
/// the previous run still runs. The expression and zone were checked when the manifest was read.
/// </summary>
public sealed record JobSchedule(string Cron, string TimeZone, bool AllowOverlap)
{
    public const string DefaultTimeZone = "UTC";

    /// <summary>How far back a missed occurrence is still run late (after the scheduler was down); older ones are skipped.</summary>
    public static readonly TimeSpan CatchUpWindow = TimeSpan.FromDays(1);

    public DateTimeOffset? NextAfter(DateTimeOffset after) => Expression(Cron).GetNextOccurrence(after, Zone(TimeZone));

    /// <summary>The latest occurrence after <paramref name="after"/> and at or before <paramref name="upTo"/>, within the catch-up window; null if none.</summary>
    public DateTimeOffset? LatestDue(DateTimeOffset after, DateTimeOffset upTo)
    {
        var from = after > upTo - CatchUpWindow ? after : upTo - CatchUpWindow;
        return from >= upTo
            ? null
            : Expression(Cron).GetOccurrences(from, upTo, Zone(TimeZone), fromInclusive: false, toInclusive: true)
                .Select(o => (DateTimeOffset?)o).LastOrDefault();
    }

    /// <summary>Five fields, or six with seconds first; macros (@daily) are five-field.</summary>
    public static CronFormat FormatOf(string cron) =>
        cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;

    private static CronExpression Expression(string cron) => CronExpression.Parse(cron, FormatOf(cron));

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
