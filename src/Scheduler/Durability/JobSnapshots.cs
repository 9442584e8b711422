using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Durability;

/// <summary>Maps a job's state to the form that is replicated and stored, and back; the shards are the same records in both.</summary>
public static class JobSnapshots
{
    public static JobSnapshot ToSnapshot(this JobRecord job) => new(
        job.Id, job.Version, job.Spec, job.SubmittedAt, job.IdempotencyKey, job.Stopped, job.Shards, job.FinishedAt, job.CancelledBecause, job.RerunAt, job.LastRunAt, job.LastRunId);

    public static JobRecord ToRecord(this JobSnapshot job) => new(
        job.Id, job.Spec, job.SubmittedAt, job.Shards, job.Stopped, job.Version, job.IdempotencyKey, job.FinishedAt, job.CancelledBecause, job.RerunAt, job.LastRunAt, job.LastRunId);
}
