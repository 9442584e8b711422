using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Messages;

/// <summary>
/// One job's whole desired state as it is replicated between scheduler nodes and kept on their disks.
/// Version grows with every change the scheduler makes to the job; the highest version wins. FinishedAt is when
/// its last shard reached a final state (or it was stopped): finished jobs are kept for a while from then on.
/// CancelledBecause says why a job never ran: a job it waited for (after) failed. RerunAt is its latest rerun.
/// LastRunAt is a periodic job's latest occurrence (run or skipped), LastRunId the job its latest run started.
/// </summary>
public sealed record JobSnapshot(
    string Id,
    long Version,
    JobSpec Spec,
    DateTimeOffset SubmittedAt,
    string? IdempotencyKey,
    bool Stopped,
    ImmutableArray<ShardRecord> Shards,
    DateTimeOffset? FinishedAt = null,
    string? CancelledBecause = null,
    DateTimeOffset? RerunAt = null,
    DateTimeOffset? LastRunAt = null,
    string? LastRunId = null) : ISchedMessage;
