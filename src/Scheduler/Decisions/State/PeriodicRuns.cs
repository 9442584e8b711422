using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sched.Contracts.Jobs;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// Starts the runs of periodic jobs. Each occurrence of a schedule starts at most one run: the run's id and
/// idempotency key follow from the job and the occurrence, and the job keeps its latest occurrence, so a scheduler
/// that takes over (and reads either fact from the replicas) never starts the same occurrence again. Of several
/// occurrences missed while no scheduler ran, only the latest is run, late.
/// </summary>
public static class PeriodicRuns
{
    public static IReadOnlyList<ISchedulerEvent> Due(SchedulerState state, DateTimeOffset now)
    {
        var events = new List<ISchedulerEvent>();
        foreach (var job in state.Jobs.Values.Where(j => j.Spec.Schedule is not null && !j.Stopped))
        {
            if (job.Spec.Schedule!.LatestDue(job.LastRunAt ?? job.SubmittedAt, now) is not { } occurrence)
            {
                continue;
            }

            var key = IdempotencyKey(job.Id, occurrence);
            if (state.JobWithIdempotencyKey(key) is { } started)
            {
                events.Add(new ScheduledRun(job.Id, occurrence, started.Id, null, now));
            }
            else if (!job.Spec.Schedule.AllowOverlap && job.LastRunId is { } previous && state.Job(previous) is { IsFinished: false })
            {
                events.Add(new ScheduledRun(job.Id, occurrence, null, $"its previous run {previous} still runs (allowOverlap: false)", now));
            }
            else
            {
                var runId = RunId(state, job, key);
                events.Add(new JobAccepted(runId, job.Spec.ForOneRun(), now, key));
                events.Add(new ScheduledRun(job.Id, occurrence, runId, null, now));
            }
        }

        return events;
    }

    /// <summary>
    /// When the next occurrence of a periodic job comes, if any job has one. Occurrences older than the catch-up
    /// window are never run, so they are not waited for either.
    /// </summary>
    public static DateTimeOffset? Next(SchedulerState state, DateTimeOffset now) =>
        state.Jobs.Values.Where(j => j.Spec.Schedule is not null && !j.Stopped)
            .Min(j => j.Spec.Schedule!.NextAfter(Max(j.LastRunAt ?? j.SubmittedAt, now - JobSchedule.CatchUpWindow)));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public const string KeyPrefix = "periodic:";

    private const string OccurrenceFormat = "yyyy-MM-ddTHH:mm:ssZ";

    public static string IdempotencyKey(string jobId, DateTimeOffset occurrence) =>
        $"{KeyPrefix}{jobId}@{occurrence.UtcDateTime.ToString(OccurrenceFormat, CultureInfo.InvariantCulture)}";

    /// <summary>The periodic job and occurrence that started a run, read from the run's idempotency key; null for any other job.</summary>
    public static (string JobId, DateTimeOffset Occurrence)? RunOf(string? idempotencyKey) =>
        idempotencyKey is { } key && key.StartsWith(KeyPrefix, StringComparison.Ordinal) && key.LastIndexOf('@') is var at and > 0
        && DateTimeOffset.TryParseExact(key[(at + 1)..], OccurrenceFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurrence)
            ? (key[KeyPrefix.Length..at], occurrence)
            : null;

    public static string Format(DateTimeOffset occurrence) =>
        occurrence.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The job's name and six hex digits, as every job id, taken from a hash of the run's key instead of at random: a
    /// scheduler that computes the run again picks the same id. Another job holding it (one in 16 million) moves it on.
    /// </summary>
    private static string RunId(SchedulerState state, JobRecord job, string key)
    {
        for (var salt = 0; ; salt++)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt == 0 ? key : $"{key}#{salt}"));
            var id = $"{job.Spec.Name}-{Convert.ToHexStringLower(hash.AsSpan(0, 3))}";
            if (state.Job(id) is null)
            {
                return id;
            }
        }
    }
}
