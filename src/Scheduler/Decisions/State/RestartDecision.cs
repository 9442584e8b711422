using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Contracts.Quantities;

namespace Sched.Scheduler.Decisions.State;

/// <summary>What happens after an attempt ends: success, another attempt after a backoff, or final failure.</summary>
public static class RestartDecision
{
    /// <summary>Backoff doubles per restart and stops growing here (or at the configured backoff if that is larger).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>Jitter is a number in [0, 1) that spreads the retries of many shards apart (±10 %).</summary>
    /// <summary>
    /// Losses are earlier attempts lost with their node; they do not count against the restart policy, nor do the
    /// attempts before a rerun (rerunAfter).
    /// </summary>
    public static ISchedulerEvent AfterExit(JobSpec spec, ShardAttemptId id, AttemptEnd end, DateTimeOffset now, double jitter, int losses = 0, int rerunAfter = 0)
    {
        if (end.ExitCode == 0 && spec.Type == JobType.Batch)
        {
            return new ShardSucceeded(id, now);
        }

        var reason = Describe(spec, end);
        var restarts = Math.Max(0, id.Attempt - 1 - losses - rerunAfter);
        var mayRestart = spec.Restart.Mode switch
        {
            _ when end.Outcome == AttemptOutcome.ImageUnavailable || end.Permanent => false,
            _ when end.Outcome == AttemptOutcome.Exited && end.ExitCode is { } code && spec.Restart.FailsAt(code) => false,
            RestartMode.Never => false,
            RestartMode.Always when spec.Type == JobType.Service => true,
            _ => restarts < spec.Restart.Attempts,
        };
        if (!mayRestart)
        {
            var made = id.Attempt - rerunAfter;
            var attempts = (made == 1 ? "1 attempt" : $"{made} attempts") + (rerunAfter > 0 ? " of its rerun" : "");
            return new ShardFailed(id, end.Outcome, end.ExitCode, $"{reason} after {attempts}", now);
        }

        return new ShardRetrying(id, end.Outcome, end.ExitCode, reason, now + Delay(spec.Restart.Backoff, restarts, jitter), now);
    }

    public static TimeSpan Delay(TimeSpan backoff, int restarts, double jitter)
    {
        var cap = backoff > MaxBackoff ? backoff : MaxBackoff;
        var grown = backoff.TotalMilliseconds * Math.Pow(2, Math.Min(restarts, 20));
        var capped = Math.Min(grown, cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.9 + (0.2 * jitter)));
    }

    /// <summary>The words for people; code branches on <see cref="AttemptEnd.Outcome"/>.</summary>
    private static string Describe(JobSpec spec, AttemptEnd end) => end.Outcome switch
    {
        AttemptOutcome.StartFailed => $"start-failed: {end.Detail}",
        AttemptOutcome.ImageUnavailable => $"image-unavailable: {end.Detail}",
        AttemptOutcome.Fenced => $"fenced: {end.Detail}",
        AttemptOutcome.OomKilled => $"oom-killed (memory limit {Quantity.FormatMemory(spec.Resources.MemoryBytes)})",
        AttemptOutcome.TimedOut => $"timed-out after {Duration.Format(spec.Timeout ?? TimeSpan.Zero)}",
        _ when end.ExitCode == 0 => "service exited with code 0",
        _ when end.ExitCode is { } code && spec.Restart.FailsAt(code) => $"exit code {code} (restart.failOn)",
        _ => $"exit code {end.ExitCode}",
    };
}

/// <summary>
/// How an attempt ended: an exit code (perhaps an OOM kill), or no exit at all (it never started, it was fenced), with
/// the engine's words. Permanent: no other attempt could start either (the command is not in the image).
/// </summary>
public sealed record AttemptEnd(AttemptOutcome Outcome, long? ExitCode, string? Detail, bool Permanent = false)
{
    public static AttemptEnd Exited(long code, bool oomKilled, bool timedOut = false) =>
        new(timedOut ? AttemptOutcome.TimedOut : oomKilled ? AttemptOutcome.OomKilled : AttemptOutcome.Exited, code, null);

    public static AttemptEnd FailedToStart(string reason, bool permanent = false) => new(AttemptOutcome.StartFailed, null, reason, permanent);

    /// <summary>Final: another attempt would find no image either.</summary>
    public static AttemptEnd ImageUnavailable(string reason) => new(AttemptOutcome.ImageUnavailable, null, reason);

    public static AttemptEnd Fenced(string reason) => new(AttemptOutcome.Fenced, null, reason);
}
