using System.Collections.Immutable;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>The desired state of every job. Immutable: Apply returns the state after one event.</summary>
public sealed record SchedulerState(ImmutableSortedDictionary<string, JobRecord> Jobs)
{
    public static readonly SchedulerState Empty = new(ImmutableSortedDictionary.Create<string, JobRecord>(StringComparer.Ordinal));

    private StateIndex? _index;

    /// <summary>A with-expression's copy starts without the index: Apply hands it the updated one, or it is built on first use.</summary>
    private SchedulerState(SchedulerState original) => Jobs = original.Jobs;

    /// <summary>Node usage and waiting jobs, derived from Jobs; kept up to date by Apply.</summary>
    internal StateIndex Index => _index ??= StateIndex.Of(Jobs.Values);

    public JobRecord? Job(string id) => Jobs.GetValueOrDefault(id);

    public JobRecord? JobWithIdempotencyKey(string key) => Jobs.Values.FirstOrDefault(j => j.IdempotencyKey == key);

    /// <summary>The job an event changes; every event concerns exactly one job.</summary>
    public static string JobOf(ISchedulerEvent evt) => evt switch
    {
        JobAccepted e => e.JobId,
        ShardPlaced e => e.Id.JobId,
        ShardWaiting e => e.JobId,
        ShardRunning e => e.Id.JobId,
        ShardSucceeded e => e.Id.JobId,
        ShardRetrying e => e.Id.JobId,
        ShardFailed e => e.Id.JobId,
        ShardLost e => e.Id.JobId,
        JobStopped e => e.JobId,
        ShardsStoppedEarly e => e.JobId,
        JobScaled e => e.JobId,
        ShardsRerun e => e.JobId,
        JobCancelled e => e.JobId,
        ScheduledRun e => e.JobId,
        JobRemoved e => e.JobId,
        _ => throw new InvalidOperationException($"unknown scheduler event {evt.GetType().Name}"),
    };

    /// <summary>The state made of recovered jobs; for each id the highest version wins.</summary>
    public static SchedulerState Of(IEnumerable<JobRecord> jobs) =>
        new(jobs.GroupBy(j => j.Id).Select(g => g.MaxBy(j => j.Version)!)
            .ToImmutableSortedDictionary(j => j.Id, j => j, StringComparer.Ordinal));

    /// <summary>The shard record of an attempt, only while that attempt is the shard's latest.</summary>
    public ShardRecord? CurrentAttempt(ShardAttemptId id) =>
        Job(id.JobId) is { } job && id.Shard >= 1 && id.Shard <= job.Shards.Length
            && job.Shard(id.Shard) is { } shard && shard.Attempt == id.Attempt
            ? shard
            : null;

    public SchedulerState Apply(ISchedulerEvent evt) => evt switch
    {
        JobAccepted e => Accept(JobRecord.New(e.JobId, e.Spec, e.At, e.IdempotencyKey)),
        ShardPlaced e => Update(e.Id.JobId, e.Id.Shard, s => s with
        {
            Status = ShardStatus.Placed,
            Attempt = e.Id.Attempt,
            Node = e.Node,
            ContainerId = null,
            ExitCode = null,
            Outcome = null,
            Reason = null,
            RetryAt = null,
            Ports = null,
            RunningSince = null,
        }),
        ShardWaiting e => Update(e.JobId, e.Shard, s => s with { Reason = e.Reason }),
        ShardRunning e => Update(e.Id.JobId, e.Id.Shard, s => s with
        {
            Status = ShardStatus.Running,
            ContainerId = e.ContainerId,
            Ports = e.Ports ?? s.Ports,
            RunningSince = e.At ?? s.RunningSince,
        }),
        ShardSucceeded e => Update(e.Id.JobId, e.Id.Shard, s => s.WithEnded(new(e.Id.Attempt, s.Node, AttemptOutcome.Exited, 0, "succeeded", e.At, s.RunningSince)) with
        {
            Status = ShardStatus.Succeeded,
            ExitCode = 0,
            Outcome = AttemptOutcome.Exited,
        }, e.At),
        ShardRetrying e => Update(e.Id.JobId, e.Id.Shard, s => s.WithEnded(new(e.Id.Attempt, s.Node, e.Outcome, e.ExitCode, e.Reason, e.At, s.RunningSince)) with
        {
            Status = ShardStatus.Pending,
            LastNode = s.Node,
            Node = null,
            Ports = null,
            ExitCode = e.ExitCode,
            Outcome = e.Outcome,
            Reason = e.Reason,
            RetryAt = e.RetryAt,
        }),
        ShardFailed e => Update(e.Id.JobId, e.Id.Shard, s => s.WithEnded(new(e.Id.Attempt, s.Node, e.Outcome, e.ExitCode, e.Reason, e.At, s.RunningSince)) with
        {
            Status = ShardStatus.Failed,
            ExitCode = e.ExitCode,
            Outcome = e.Outcome,
            Reason = e.Reason,
        }, e.At),
        ShardLost e => Update(e.Id.JobId, e.Id.Shard, s => s.WithEnded(new(e.Id.Attempt, e.Node, AttemptOutcome.Lost, null, $"lost: {e.Why}", e.At, s.RunningSince)) with
        {
            Status = ShardStatus.Pending,
            LastNode = e.Node,
            Node = null,
            ContainerId = null,
            Ports = null,
            ExitCode = null,
            Outcome = AttemptOutcome.Lost,
            Reason = $"lost: {e.Why}",
            RetryAt = e.RetryAt,
            Losses = s.Losses + 1,
        }),
        JobStopped e => StopJob(e.JobId, e.At),
        JobScaled e => Scale(e.JobId, e.Parallel),
        ShardsRerun e => Rerun(e.JobId, e.Shards, e.At),
        JobCancelled e => Cancel(e.JobId, e.Reason, e.At),
        ShardsStoppedEarly e => StopShards(e.JobId, $"stopped: {e.Reason}", e.At, stopJob: false),
        ScheduledRun e => Ran(e),
        JobRemoved e => Remove(e.JobId),
        _ => throw new InvalidOperationException($"unknown scheduler event {evt.GetType().Name}"),
    };

    /// <summary>
    /// A placement round: its events, then what it offered, which need not be offered again until room appears.
    /// The offer names jobs as they are after the events, so the order is fixed here.
    /// </summary>
    public SchedulerState Apply(PlacementRound round) =>
        round.Events.Aggregate(this, (state, evt) => state.Apply(evt)).Offered(round.Offer);

    private SchedulerState Offered(PlacementOffer offer) =>
        new(this)
        {
            _index = Index.Offered(
                offer.ClusterGeneration, offer.JobIds.Where(Jobs.ContainsKey).Select(id => new WaitingJob(Jobs[id].SubmittedAt, id)), offer.NoRoom),
        };

    /// <summary>Equal when they hold the same jobs; the index is derived from them.</summary>
    public bool Equals(SchedulerState? other) =>
        other is not null && EqualityComparer<ImmutableSortedDictionary<string, JobRecord>>.Default.Equals(Jobs, other.Jobs);

    public override int GetHashCode() => EqualityComparer<ImmutableSortedDictionary<string, JobRecord>>.Default.GetHashCode(Jobs);

    private SchedulerState Accept(JobRecord job) =>
        new(Jobs.Add(job.Id, job)) { _index = _index?.JobChanged(null, job) };

    /// <summary>Only a finished job is removed: it holds no node's capacity and waits for none, so the index stays as it is.</summary>
    private SchedulerState Remove(string jobId) =>
        Jobs[jobId].IsFinished
            ? new(Jobs.Remove(jobId)) { _index = _index }
            : throw new InvalidOperationException($"job {jobId} is not finished and cannot be removed");

    /// <summary>A new limit may leave room for shards that waited for it: the next round offers every waiting shard again.</summary>
    private SchedulerState Scale(string jobId, int? parallel)
    {
        var job = Jobs[jobId];
        var scaled = job with { Spec = job.Spec with { Parallel = parallel }, Version = job.Version + 1 };
        return new(Jobs.SetItem(jobId, scaled)) { _index = _index is null ? null : _index.JobChanged(job, scaled) with { Freed = true } };
    }

    /// <summary>The named shards wait for placement again; the job is no longer finished, nor stopped.</summary>
    private SchedulerState Rerun(string jobId, ImmutableArray<int> shards, DateTimeOffset at)
    {
        var job = Jobs[jobId];
        // A shard as new, but for its attempt count, the node to prefer to avoid, and its history.
        var again = job.Shards.Select(s => !shards.Contains(s.Shard) ? s : ShardRecord.New(s.Shard) with
        {
            Attempt = s.Attempt,
            LastNode = s.Node ?? s.LastNode,
            History = s.History,
            RerunAfter = s.Attempt,
        });
        var rerun = job with { Shards = again.ToImmutableArray(), Stopped = false, FinishedAt = null, CancelledBecause = null, RerunAt = at, Version = job.Version + 1 };
        return new(Jobs.SetItem(jobId, rerun)) { _index = _index?.JobChanged(job, rerun) };
    }

    /// <summary>A periodic job holds no shards, so the index does not change.</summary>
    private SchedulerState Ran(ScheduledRun run)
    {
        var job = Jobs[run.JobId];
        var ran = job with { LastRunAt = run.Occurrence, LastRunId = run.RunId ?? job.LastRunId, Version = job.Version + 1 };
        return new(Jobs.SetItem(job.Id, ran)) { _index = _index };
    }

    private SchedulerState StopJob(string jobId, DateTimeOffset at) => StopShards(jobId, "job stopped", at, stopJob: true);

    private SchedulerState Cancel(string jobId, string reason, DateTimeOffset at)
    {
        var state = StopShards(jobId, $"cancelled: {reason}", at, stopJob: true);
        var cancelled = state.Jobs[jobId] with { CancelledBecause = reason };
        return new(state.Jobs.SetItem(jobId, cancelled)) { _index = state._index };
    }

    private SchedulerState StopShards(string jobId, string reason, DateTimeOffset at, bool stopJob)
    {
        var job = Jobs[jobId];
        var shards = job.Shards.Select(s => s.IsFinal ? s : (s.IsActive ? s.WithEnded(new(s.Attempt, s.Node, null, null, reason, at, s.RunningSince)) : s) with
        {
            Status = ShardStatus.Stopped,
            LastNode = s.Node ?? s.LastNode,
            Node = null,
            RetryAt = null,
            Ports = null,
            Reason = reason,
        });
        var stopped = (job with { Stopped = stopJob, Shards = shards.ToImmutableArray(), Version = job.Version + 1 }).FinishedBy(at);
        return new(Jobs.SetItem(jobId, stopped)) { _index = Finished(job, stopped, _index?.JobChanged(job, stopped)) };
    }

    private SchedulerState Update(string jobId, int shard, Func<ShardRecord, ShardRecord> change, DateTimeOffset? at = null)
    {
        var job = Jobs[jobId];
        var before = job.Shard(shard);
        var after = change(before);
        var changed = job.WithShard(after).FinishedBy(at);
        return new(Jobs.SetItem(jobId, changed)) { _index = Finished(job, changed, _index?.ShardChanged(changed, before, after)) };
    }

    /// <summary>A job that just finished may let jobs that wait for it (after) go: the next round offers every waiting shard again.</summary>
    private static StateIndex? Finished(JobRecord before, JobRecord after, StateIndex? index) =>
        index is not null && !before.IsFinished && after.IsFinished ? index with { Freed = true } : index;
}
