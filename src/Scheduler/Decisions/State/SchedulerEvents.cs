using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>Facts about the desired state. The scheduler decides them, then applies them to its state.</summary>
public interface ISchedulerEvent;

public sealed record JobAccepted(string JobId, JobSpec Spec, DateTimeOffset At, string? IdempotencyKey = null) : ISchedulerEvent;

public sealed record ShardPlaced(ShardAttemptId Id, string Node) : ISchedulerEvent;

/// <summary>A shard still waits for room; Reason says what it lacks.</summary>
public sealed record ShardWaiting(string JobId, int Shard, string Reason) : ISchedulerEvent;

/// <summary>Ports: the host port of each published container port ("80/tcp"), when the agent reported them.</summary>
public sealed record ShardRunning(ShardAttemptId Id, string ContainerId, System.Collections.Immutable.ImmutableSortedDictionary<string, int>? Ports = null, DateTimeOffset? At = null) : ISchedulerEvent;

public sealed record ShardSucceeded(ShardAttemptId Id, DateTimeOffset? At = null) : ISchedulerEvent;

/// <summary>An attempt ended badly and another one will be placed at RetryAt.</summary>
public sealed record ShardRetrying(ShardAttemptId Id, AttemptOutcome Outcome, long? ExitCode, string Reason, DateTimeOffset RetryAt, DateTimeOffset? At = null) : ISchedulerEvent;

/// <summary>An attempt ended badly and the restart policy allows no more.</summary>
public sealed record ShardFailed(ShardAttemptId Id, AttemptOutcome Outcome, long? ExitCode, string Reason, DateTimeOffset? At = null) : ISchedulerEvent;

/// <summary>
/// The attempt is gone with its node (it went down), or its start was never acknowledged (Cause says so); the shard
/// is placed again from RetryAt on. At is when the loss was seen.
/// </summary>
public sealed record ShardLost(ShardAttemptId Id, string Node, DateTimeOffset RetryAt, string? Cause = null, DateTimeOffset? At = null) : ISchedulerEvent
{
    public string Why => Cause ?? $"node {Node} went down";
}

public sealed record JobStopped(string JobId, DateTimeOffset At) : ISchedulerEvent;

/// <summary>At most Parallel of the job's shards run at once from now on (null: no limit).</summary>
public sealed record JobScaled(string JobId, int? Parallel) : ISchedulerEvent;

/// <summary>More shards failed than the job allows (maxFailedShards): every shard not yet final is stopped, and the job fails.</summary>
public sealed record ShardsStoppedEarly(string JobId, string Reason, DateTimeOffset At) : ISchedulerEvent;

/// <summary>
/// A finished job runs these shards again, as new attempts: each waits for placement, and its restart policy counts
/// from the rerun; the attempts before stay in its history.
/// </summary>
public sealed record ShardsRerun(string JobId, System.Collections.Immutable.ImmutableArray<int> Shards, DateTimeOffset At) : ISchedulerEvent;

/// <summary>A job it waited for (after) failed, was stopped or is gone: this one never runs. Reason says which.</summary>
public sealed record JobCancelled(string JobId, string Reason, DateTimeOffset At) : ISchedulerEvent;

/// <summary>
/// An occurrence of a periodic job's schedule came: it started the job RunId (accepted in the same round), or it was
/// skipped, SkippedBecause says why.
/// </summary>
public sealed record ScheduledRun(string JobId, DateTimeOffset Occurrence, string? RunId, string? SkippedBecause, DateTimeOffset At) : ISchedulerEvent;

/// <summary>A finished job leaves the state (retention); Reason says which limit it passed. Its containers go too.</summary>
public sealed record JobRemoved(string JobId, string Reason) : ISchedulerEvent;
