using Sched.Contracts.Messages;
using Sched.Contracts.Quantities;

namespace Sched.Scheduler.Decisions.State;

/// <summary>What a watching person is told about each event: a kind and one readable sentence.</summary>
public static class JobEvents
{
    public static JobEvent Of(ISchedulerEvent evt, SchedulerState after, DateTimeOffset at)
    {
        var job = after.Job(SchedulerState.JobOf(evt))!;
        string Shard(int shard) => $"{job.Id} shard {shard}/{job.Spec.Shards}";
        return evt switch
        {
            JobAccepted e => new(at, e.JobId, null, null, "submitted", null,
                $"submitted {e.JobId}: {e.Spec.Shards} shards of {e.Spec.Image} ({Quantity.FormatMemory(e.Spec.Resources.MemoryBytes)}, {Quantity.FormatCpus(e.Spec.Resources.MilliCpus)} cpus each)"),
            ShardPlaced e => new(at, e.Id.JobId, e.Id.Shard, e.Id.Attempt, "placed", e.Node, $"placed {Shard(e.Id.Shard)} attempt {e.Id.Attempt} on {e.Node}"),
            ShardWaiting e => new(at, e.JobId, e.Shard, null, "pending", null, $"pending {Shard(e.Shard)}: {e.Reason}"),
            ShardRunning e => new(at, e.Id.JobId, e.Id.Shard, e.Id.Attempt, "running", job.Shard(e.Id.Shard).Node, $"running {Shard(e.Id.Shard)} on {job.Shard(e.Id.Shard).Node}"),
            ShardSucceeded e => new(at, e.Id.JobId, e.Id.Shard, e.Id.Attempt, "succeeded", job.Shard(e.Id.Shard).Node, $"succeeded {Shard(e.Id.Shard)} on {job.Shard(e.Id.Shard).Node}"),
            ShardRetrying e => new(at, e.Id.JobId, e.Id.Shard, e.Id.Attempt, "retrying", job.Shard(e.Id.Shard).LastNode,
                $"retrying {Shard(e.Id.Shard)} after attempt {e.Id.Attempt}: {e.Reason}; next attempt at {e.RetryAt:HH:mm:ss}"),
            ShardFailed e => new(at, e.Id.JobId, e.Id.Shard, e.Id.Attempt, "failed", job.Shard(e.Id.Shard).Node, $"failed {Shard(e.Id.Shard)}: {e.Reason}"),
            ShardLost e => new(at, e.Id.JobId, e.Id.Shard, e.Id.Attempt, "lost", e.Node, $"lost {Shard(e.Id.Shard)}: {e.Why}"),
            JobStopped e => new(at, e.JobId, null, null, "stopped", null, $"stopped {e.JobId}"),
            JobScaled e => new(at, e.JobId, null, null, "scaled", null,
                e.Parallel is { } n ? $"scaled {e.JobId}: at most {n} shards at once" : $"scaled {e.JobId}: no limit on shards at once"),
            ShardsRerun e => new(at, e.JobId, null, null, "rerun", null,
                $"rerunning {e.JobId}: shard{(e.Shards.Length == 1 ? "" : "s")} {string.Join(", ", e.Shards)} of {job.Spec.Shards} run again"),
            JobCancelled e => new(at, e.JobId, null, null, "cancelled", null, $"cancelled {e.JobId}: {e.Reason}"),
            ShardsStoppedEarly e => new(at, e.JobId, null, null, "failed", null, $"failed {e.JobId}: {e.Reason}; its other shards are stopped"),
            ScheduledRun { RunId: { } run } e => new(at, e.JobId, null, null, "run", null, $"started {run}: the run of {e.JobId} due at {PeriodicRuns.Format(e.Occurrence)}"),
            ScheduledRun e => new(at, e.JobId, null, null, "skipped", null, $"skipped the run of {e.JobId} due at {PeriodicRuns.Format(e.Occurrence)}: {e.SkippedBecause}"),
            JobRemoved e => new(at, e.JobId, null, null, "removed", null, $"removed {e.JobId}: {e.Reason}; its containers are removed, its logs archived"),
            _ => throw new InvalidOperationException($"unknown scheduler event {evt.GetType().Name}"),
        };
    }
}
