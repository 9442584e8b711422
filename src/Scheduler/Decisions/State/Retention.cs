using Sched.Contracts.Quantities;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// How long finished jobs stay in the scheduler's state (and their containers in the podman stores): until MaxAge
/// after they finished, and only the newest MaxFinished of them. Active jobs are never counted or removed.
/// </summary>
public sealed record RetentionPolicy(TimeSpan MaxAge, int MaxFinished)
{
    public static readonly RetentionPolicy Default = new(TimeSpan.FromHours(24), 1000);

    /// <summary>How often the scheduler looks: often enough for a short age, at most once a minute.</summary>
    public TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Clamp(MaxAge.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
}

/// <summary>Which finished jobs leave the state now. Pure: the scheduler applies the events and tells the agents.</summary>
public static class Retention
{
    /// <summary>
    /// Finished jobs beyond the count limit go first, oldest finished first (ties by id, so every scheduler decides
    /// the same); then every remaining one that finished MaxAge ago or earlier.
    /// </summary>
    public static IReadOnlyList<ISchedulerEvent> Expired(SchedulerState state, RetentionPolicy policy, DateTimeOffset now)
    {
        var finished = state.Jobs.Values.Where(j => j.IsFinished)
            .OrderBy(j => j.FinishedOrSubmittedAt).ThenBy(j => j.Id, StringComparer.Ordinal).ToList();
        var beyondCount = Math.Max(0, finished.Count - policy.MaxFinished);
        var events = new List<ISchedulerEvent>();
        for (var i = 0; i < finished.Count; i++)
        {
            var job = finished[i];
            var age = TimeSpan.FromSeconds(Math.Floor((now - job.FinishedOrSubmittedAt).TotalSeconds));
            if (i < beyondCount)
            {
                events.Add(new JobRemoved(job.Id, $"more than {policy.MaxFinished} finished jobs are kept, and it is among the oldest"));
            }
            else if (age >= policy.MaxAge)
            {
                events.Add(new JobRemoved(job.Id, $"finished {Duration.Format(age)} ago; finished jobs are kept for {Duration.Format(policy.MaxAge)}"));
            }
        }

        return events;
    }
}
