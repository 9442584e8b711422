using System.Collections.Immutable;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Durability;

/// <summary>Maps a job's state to the form that is replicated and stored, and back.</summary>
public static class JobSnapshots
{
    public static JobSnapshot ToSnapshot(this JobRecord job) => new(
        job.Id, job.Version, job.Spec, job.SubmittedAt, job.IdempotencyKey, job.Stopped,
        job.Shards.Select(s => new ShardSnapshot(s.Shard, s.Status, s.Attempt, s.Node, s.ContainerId, s.ExitCode, s.Reason, s.RetryAt, s.LastNode, s.Losses))
            .ToImmutableArray());

    public static JobRecord ToRecord(this JobSnapshot job) => new(
        job.Id, job.Spec, job.SubmittedAt,
        job.Shards.Select(s => new ShardRecord(s.Shard, s.Status, s.Attempt, s.Node, s.ContainerId, s.ExitCode, s.Reason, s.RetryAt, s.LastNode, s.Losses))
            .ToImmutableArray(),
        job.Stopped, job.Version, job.IdempotencyKey);
}
