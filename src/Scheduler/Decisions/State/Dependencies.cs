using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>Whether a job's dependencies (after, afterAny) let it start, hold it back, or cancel it.</summary>
public static class Dependencies
{
    /// <summary>Null: the job may start. Otherwise the event that says why it waits, or that it is cancelled.</summary>
    public static DependencyVerdict? Check(SchedulerState state, JobRecord job)
    {
        if (job.Spec.After is not { } after)
        {
            return null;
        }

        string? waiting = null;
        foreach (var id in after.Succeeded)
        {
            switch (state.Job(id))
            {
                case null:
                    return DependencyVerdict.Cancel($"job {id}, which it runs after, is gone (removed before it succeeded)");
                case { Status: JobStatus.Complete }:
                    break;
                case { IsFinished: true } ended:
                    return DependencyVerdict.Cancel($"job {id}, which it runs after, {Ended(ended)}");
                default:
                    waiting ??= $"waits for job {id} to succeed";
                    break;
            }
        }

        // A job that is gone has ended, however it ended.
        waiting ??= after.Ended.Where(id => state.Job(id) is { IsFinished: false }).Select(id => $"waits for job {id} to end").FirstOrDefault();
        return waiting is null ? null : DependencyVerdict.Wait(waiting);
    }

    private static string Ended(JobRecord job) => job.Status switch
    {
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "was cancelled",
        _ => "was stopped",
    };
}

/// <summary>A job held back by its dependencies: it waits (Reason on each pending shard) or is cancelled.</summary>
public sealed record DependencyVerdict(bool Cancelled, string Reason)
{
    public static DependencyVerdict Wait(string reason) => new(false, reason);

    public static DependencyVerdict Cancel(string reason) => new(true, reason);

    /// <summary>The events that say it: the job cancelled, or each pending shard that does not yet say why it waits.</summary>
    public IEnumerable<ISchedulerEvent> Events(JobRecord job, DateTimeOffset now) =>
        Cancelled
            ? [new JobCancelled(job.Id, Reason, now)]
            : job.Shards.Where(s => s.Status == ShardStatus.Pending && s.Reason != Reason).Select(s => (ISchedulerEvent)new ShardWaiting(job.Id, s.Shard, Reason));
}
