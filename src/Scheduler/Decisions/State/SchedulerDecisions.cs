using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Contracts.Quantities;
using Sched.Scheduler.Decisions.Placement;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// The scheduler's decisions as pure functions: given the state and what happened, which events follow.
/// Messages about an attempt that is no longer the shard's latest are stale and decide nothing.
/// </summary>
public static class SchedulerDecisions
{
    public static IReadOnlyList<ISchedulerEvent> Accept(string jobId, JobSpec spec, DateTimeOffset now, string? idempotencyKey = null) =>
        [new JobAccepted(jobId, spec, now, idempotencyKey)];

    public static IReadOnlyList<ISchedulerEvent> Started(
        SchedulerState state, ShardAttemptId id, string containerId, ImmutableSortedDictionary<string, int>? ports = null, DateTimeOffset? at = null) =>
        state.CurrentAttempt(id) is { Status: ShardStatus.Placed } ? [new ShardRunning(id, containerId, ports, at)] : [];

    /// <summary>
    /// A report about an attempt that is not the shard's active attempt on that node: lost, replaced or stopped.
    /// Its container, should it run, is a second copy of the shard and must go.
    /// </summary>
    public static bool IsStale(SchedulerState state, ShardAttemptId id, string node) =>
        state.CurrentAttempt(id) is not { IsActive: true } shard || shard.Node != node;

    public static IReadOnlyList<ISchedulerEvent> Ended(
        SchedulerState state, ShardAttemptId id, AttemptEnd end, DateTimeOffset now, double jitter)
    {
        if (state.CurrentAttempt(id) is not { IsActive: true } shard)
        {
            return [];
        }

        var job = state.Job(id.JobId)!;
        var decided = RestartDecision.AfterExit(job.Spec, id, end, now, jitter, shard.Losses, shard.RerunAfter);
        return decided is ShardFailed && TooManyFailed(job, id.Shard) is { } reason
            ? [decided, new ShardsStoppedEarly(job.Id, reason, now)]
            : [decided];
    }

    /// <summary>Why the job's other shards stop, once this shard's failure puts it over its maxFailedShards; null while it is not.</summary>
    private static string? TooManyFailed(JobRecord job, int failing)
    {
        var failed = job.Shards.Count(s => s.Status == ShardStatus.Failed || s.Shard == failing);
        return job.Spec.MaxFailedShards is { } max && failed > max && job.Shards.Any(s => s.Shard != failing && !s.IsFinal)
            ? $"{failed} shards failed, more than maxFailedShards {max}"
            : null;
    }

    /// <summary>
    /// Every active attempt on a node that went down is lost. They are placed again only after the fencing
    /// margin, by which time the lost node's agent has stopped its containers, so no shard runs twice.
    /// </summary>
    public static IReadOnlyList<ISchedulerEvent> NodeDown(SchedulerState state, string node, DateTimeOffset now, TimeSpan fencingMargin) =>
        state.Jobs.Values
            .Where(j => !j.Stopped)
            .SelectMany(j => j.Shards.Where(s => s.IsActive && s.Node == node)
                .Select(s => (ISchedulerEvent)new ShardLost(new ShardAttemptId(j.Id, s.Shard, s.Attempt), node, now + fencingMargin, At: now)))
            .ToList();

    /// <summary>The nodes that run (or are about to run) a shard of a job that was not stopped.</summary>
    public static IEnumerable<string> NodesWithActiveShards(SchedulerState state) =>
        state.Jobs.Values.Where(j => !j.Stopped).SelectMany(j => j.Shards).Where(s => s.IsActive && s.Node is not null)
            .Select(s => s.Node!).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// The job as a placement round would leave it if it were submitted now: each shard placed on a node, or pending
    /// with the reason it would wait. The state is not changed; the job is not kept.
    /// </summary>
    public static JobRecord Plan(SchedulerState state, string jobId, JobSpec spec, ClusterSnapshot cluster, DateTimeOffset now)
    {
        var submitted = Accept(jobId, spec, now).Aggregate(state, (s, e) => s.Apply(e));
        return submitted.Apply(Place(submitted, cluster, now)).Job(jobId)!;
    }

    /// <summary>A new parallel limit for a job that still runs; nothing for a finished job or the limit it has.</summary>
    public static IReadOnlyList<ISchedulerEvent> Scale(SchedulerState state, string jobId, int? parallel) =>
        state.Job(jobId) is { IsFinished: false } job && job.Spec.Parallel != parallel ? [new JobScaled(jobId, parallel)] : [];

    /// <summary>
    /// Shards of a finished job to run again: those named, or every one that did not succeed. Refused while the job
    /// runs, for a shard the job does not have, and when nothing failed and nothing was named.
    /// </summary>
    public static RerunDecision Rerun(SchedulerState state, string jobId, ImmutableArray<int>? named, DateTimeOffset now)
    {
        if (state.Job(jobId) is not { } job)
        {
            return RerunDecision.NoSuchJob;
        }

        if (job.Spec.IsPeriodic)
        {
            return RerunDecision.Refused(RerunRefusal.StillRunning,
                $"job {jobId} is periodic: it has no shards of its own; rerun one of its runs (`sched status {jobId}` lists them)");
        }

        if (!job.IsFinished)
        {
            return RerunDecision.Refused(RerunRefusal.StillRunning,
                $"job {jobId} is {job.Status.ToString().ToLowerInvariant()}: a rerun starts once it has ended; wait for it, or `sched stop {jobId}` first");
        }

        if (named is { } shards)
        {
            var missing = shards.Where(s => s < 1 || s > job.Shards.Length).ToList();
            if (missing.Count > 0)
            {
                return RerunDecision.Refused(RerunRefusal.NoSuchShard,
                    $"job {jobId} has shards 1 to {job.Shards.Length}; there is no shard {string.Join(", ", missing)}");
            }
        }

        var chosen = named?.Distinct().Order().ToImmutableArray()
            ?? [.. job.Shards.Where(s => s.Status != ShardStatus.Succeeded).Select(s => s.Shard)];
        return chosen.IsEmpty
            ? RerunDecision.Refused(RerunRefusal.NothingFailed, $"every shard of job {jobId} succeeded: name the shards to run again (--shards 3,5)")
            : new RerunDecision([new ShardsRerun(jobId, chosen, now)], null, null);
    }

    /// <summary>
    /// Every job still running past its deadline: its shards not yet final are stopped, and it fails. Runs with every
    /// placement round, so the cheap test (has a deadline) comes before the one that reads every shard (finished).
    /// </summary>
    public static IReadOnlyList<ISchedulerEvent> PastDeadline(SchedulerState state, DateTimeOffset now) =>
        [.. state.Jobs.Values.Where(j => j.Spec.Deadline is not null && j.DeadlineAt <= now && !j.IsFinished)
            .Select(j => new ShardsStoppedEarly(j.Id, $"its deadline of {Duration.Format(j.Spec.Deadline!.Value)} passed", now))];

    /// <summary>When the next deadline of a job still running passes, if any job has one.</summary>
    public static DateTimeOffset? NextDeadline(SchedulerState state) =>
        state.Jobs.Values.Where(j => j.Spec.Deadline is not null && !j.IsFinished).Min(j => j.DeadlineAt);

    public static IReadOnlyList<ISchedulerEvent> Stop(SchedulerState state, string jobId, DateTimeOffset now) =>
        state.Job(jobId) is { Stopped: false } ? [new JobStopped(jobId, now)] : [];

    /// <summary>
    /// Places every shard that waits and whose backoff has passed, oldest job first. Waiting shards that found no
    /// room before are offered again only once room may have appeared (<see cref="StateIndex.MustOfferAll"/>), so
    /// a round costs what is new, not everything that waits. The round is applied as one (<see cref="SchedulerState.Apply(PlacementRound)"/>).
    /// </summary>
    public static PlacementRound Place(SchedulerState state, ClusterSnapshot cluster, DateTimeOffset now)
    {
        var all = state.Index.MustOfferAll(cluster.Generation);
        var waiting = (all ? state.Index.Waiting : state.Index.Unoffered).Select(w => state.Jobs[w.JobId]).Where(j => !j.Stopped).ToList();
        var offered = waiting.Where(j => !j.Shards.Any(s => InBackoff(s, now))).Select(j => j.Id).ToList();
        var held = waiting.Select(j => (Job: j, Verdict: Dependencies.Check(state, j))).Where(h => h.Verdict is not null).ToList();
        var jobs = held.Count == 0 ? waiting : waiting.Except(held.Select(h => h.Job)).ToList();
        var requests = jobs.SelectMany(j => Due(j, now)).ToList();
        var knownNoRoom = all ? ImmutableDictionary<RequestShape, UnplacedShard>.Empty : state.Index.NoRoom;
        var turns = held.SelectMany(h => h.Verdict!.Events(h.Job, now)).Concat(jobs.SelectMany(j => WaitingTheirTurn(j, requests, now))).ToList();
        if (requests.Count == 0)
        {
            return new PlacementRound(turns, [], new PlacementOffer(cluster.Generation, offered, knownNoRoom));
        }

        var result = Placer.Place(cluster, requests, knownNoRoom);
        var offer = new PlacementOffer(cluster.Generation, offered, result.NoRoom);
        var events = new List<ISchedulerEvent>(requests.Count + turns.Count);
        events.AddRange(turns);
        events.AddRange(result.Placed.Select(p => new ShardPlaced(p.Request.Id, p.Node)));
        foreach (var unplaced in result.Unplaced)
        {
            var id = unplaced.Request.Id;
            if (state.Job(id.JobId)!.Shard(id.Shard).Reason != unplaced.Reason)
            {
                events.Add(new ShardWaiting(id.JobId, id.Shard, unplaced.Reason));
            }
        }

        return new PlacementRound(events, result.Placed, offer);
    }

    /// <summary>
    /// When the next shard's backoff ends, if any shard is waiting for one. A shard in backoff keeps its job among
    /// the jobs not yet offered, so only those are looked at.
    /// </summary>
    public static DateTimeOffset? NextRetry(SchedulerState state, DateTimeOffset now) =>
        state.Index.Unoffered.Select(w => state.Jobs[w.JobId]).Where(j => !j.Stopped)
            .SelectMany(j => j.Shards)
            .Where(s => InBackoff(s, now))
            .Min(s => s.RetryAt);

    private static bool InBackoff(ShardRecord shard, DateTimeOffset now) => shard.Status == ShardStatus.Pending && shard.RetryAt > now;

    /// <summary>Shards due but held back by the job's parallel limit say so, once, as a shard without room does.</summary>
    private static IEnumerable<ISchedulerEvent> WaitingTheirTurn(JobRecord job, IReadOnlyList<ShardRequest> requests, DateTimeOffset now)
    {
        if (job.Spec.Parallel is not { } parallel)
        {
            yield break;
        }

        var reason = $"waits its turn: at most {parallel} of the job's shards run at once (parallel)";
        var requested = requests.Where(r => r.Id.JobId == job.Id).Select(r => r.Id.Shard).ToHashSet();
        foreach (var shard in job.Shards.Where(s => s.Status == ShardStatus.Pending && !InBackoff(s, now) && s.Reason != reason && !requested.Contains(s.Shard)))
        {
            yield return new ShardWaiting(job.Id, shard.Shard, reason);
        }
    }

    /// <summary>The shards to place now: those waiting and out of backoff, no more than the job's parallel limit leaves room for.</summary>
    private static IEnumerable<ShardRequest> Due(JobRecord job, DateTimeOffset now) =>
        job.Shards
            .Where(s => s.Status == ShardStatus.Pending && !InBackoff(s, now))
            .Take(job.Spec.Parallel is { } parallel ? Math.Max(0, parallel - job.Shards.Count(s => s.IsActive)) : int.MaxValue)
            .Select(s => new ShardRequest(
                new ShardAttemptId(job.Id, s.Shard, s.Attempt + 1), job.Spec.Resources, job.Spec.Placement, s.LastNode, HostPortsOf(job.Spec)));

    private static ImmutableArray<string> HostPortsOf(JobSpec spec) => [.. spec.ContainerOrNone.FixedHostPortKeys];
}

/// <summary>What one placement round did, and what it offered (see <see cref="SchedulerState.Apply(PlacementRound)"/>).</summary>
public sealed record PlacementRound(IReadOnlyList<ISchedulerEvent> Events, IReadOnlyList<PlacementDecision> Placed, PlacementOffer Offer)
{
    public static PlacementRound Nothing(PlacementOffer offer) => new([], [], offer);
}

/// <summary>A round offered every due shard of these jobs to a cluster of this generation, and found no room for these shapes.</summary>
public sealed record PlacementOffer(long ClusterGeneration, IReadOnlyList<string> JobIds, ImmutableDictionary<RequestShape, UnplacedShard> NoRoom);
