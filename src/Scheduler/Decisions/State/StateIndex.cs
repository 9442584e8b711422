using System.Collections.Immutable;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// What placement asks of the state on every round, kept up to date event by event instead of recounted from
/// every shard of every job: what the active shards take from each node, and which jobs have shards waiting.
/// A round then costs what waits and what changed, not everything the scheduler remembers.
/// Derived from the jobs (<see cref="Of"/> builds the same index from scratch), except for what placement has
/// already offered (<see cref="Unoffered"/>, <see cref="Freed"/>, <see cref="OfferedAt"/>); an index built from
/// scratch has offered nothing, so its first round offers every waiting shard.
/// </summary>
internal sealed record StateIndex(
    ImmutableDictionary<string, NodeUsage> Usage,
    ImmutableDictionary<string, int> PendingShards,
    ImmutableSortedSet<WaitingJob> Waiting,
    ImmutableSortedSet<WaitingJob> Unoffered,
    bool Freed,
    long OfferedAt,
    ImmutableDictionary<RequestShape, UnplacedShard> NoRoom)
{
    public static readonly StateIndex Empty = new(
        ImmutableDictionary.Create<string, NodeUsage>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, int>(StringComparer.Ordinal),
        ImmutableSortedSet.Create(WaitingJob.Order),
        ImmutableSortedSet.Create(WaitingJob.Order),
        Freed: true,
        OfferedAt: long.MinValue,
        ImmutableDictionary<RequestShape, UnplacedShard>.Empty);

    public static StateIndex Of(IEnumerable<JobRecord> jobs) =>
        jobs.Aggregate(Empty, (index, job) => index.JobChanged(null, job));

    /// <summary>A job was added, or changed in many shards at once (stopped).</summary>
    public StateIndex JobChanged(JobRecord? before, JobRecord after)
    {
        var index = this;
        for (var i = 0; i < after.Shards.Length; i++)
        {
            index = index.ShardChanged(after, before?.Shards[i], after.Shards[i]);
        }

        return index;
    }

    /// <summary>
    /// Placement must offer every waiting shard again: a shard left a node, or a node may have gained room
    /// (its registry generation changed). Otherwise a shard that fitted nowhere last time still fits nowhere.
    /// </summary>
    public bool MustOfferAll(long clusterGeneration) => Freed || clusterGeneration != OfferedAt;

    /// <summary>A placement round offered every due shard of these jobs, on a cluster of this generation, and found no room for these shapes.</summary>
    public StateIndex Offered(long clusterGeneration, IEnumerable<WaitingJob> jobs, ImmutableDictionary<RequestShape, UnplacedShard> noRoom) =>
        this with { Unoffered = Unoffered.Except(jobs), Freed = false, OfferedAt = clusterGeneration, NoRoom = noRoom };

    /// <summary>One shard of a job changed; job is the job after the change.</summary>
    public StateIndex ShardChanged(JobRecord job, ShardRecord? before, ShardRecord after)
    {
        var usage = Usage;
        var freed = Freed;
        if (before is { IsActive: true, Node: { } oldNode })
        {
            usage = Move(usage, oldNode, job, -1);
            freed |= !after.IsActive || after.Node != oldNode;
        }

        if (after is { IsActive: true, Node: { } newNode })
        {
            usage = Move(usage, newNode, job, +1);
        }

        var nowPending = after.Status == ShardStatus.Pending;
        var wasPending = before?.Status == ShardStatus.Pending;
        if (nowPending == wasPending)
        {
            return usage == Usage && freed == Freed ? this : this with { Usage = usage, Freed = freed };
        }

        var pending = PendingShards.GetValueOrDefault(job.Id) + (nowPending ? 1 : -1);
        var key = new WaitingJob(job.SubmittedAt, job.Id);
        return new StateIndex(
            usage,
            pending == 0 ? PendingShards.Remove(job.Id) : PendingShards.SetItem(job.Id, pending),
            pending == 0 ? Waiting.Remove(key) : Waiting.Add(key),
            pending == 0 ? Unoffered.Remove(key) : nowPending ? Unoffered.Add(key) : Unoffered,
            freed,
            OfferedAt,
            NoRoom);
    }

    private static ImmutableDictionary<string, NodeUsage> Move(ImmutableDictionary<string, NodeUsage> usage, string node, JobRecord job, int sign)
    {
        var current = usage.GetValueOrDefault(node) ?? NodeUsage.None;
        var resources = job.Spec.Resources;
        var count = current.ShardsByJob.GetValueOrDefault(job.Id) + sign;
        var byJob = count == 0 ? current.ShardsByJob.Remove(job.Id) : current.ShardsByJob.SetItem(job.Id, count);
        return byJob.IsEmpty
            ? usage.Remove(node)
            : usage.SetItem(node, new NodeUsage(
                new NodeCapacity(current.Allocated.MilliCpus + (sign * resources.MilliCpus), current.Allocated.MemoryBytes + (sign * resources.MemoryBytes)),
                byJob,
                MoveHostPorts(current.HostPorts, job.Spec.ContainerOrNone.FixedHostPortKeys, sign)));
    }

    private static ImmutableDictionary<string, int>? MoveHostPorts(ImmutableDictionary<string, int>? held, IEnumerable<string> ports, int sign)
    {
        foreach (var port in ports)
        {
            held ??= ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);
            var count = held.GetValueOrDefault(port) + sign;
            held = count <= 0 ? held.Remove(port) : held.SetItem(port, count);
        }

        return held;
    }
}

/// <summary>A job with shards waiting for a node, in the order placement serves them: oldest first, then by id.</summary>
internal readonly record struct WaitingJob(DateTimeOffset SubmittedAt, string JobId)
{
    public static readonly IComparer<WaitingJob> Order = Comparer<WaitingJob>.Create((a, b) =>
    {
        var bySubmission = a.SubmittedAt.CompareTo(b.SubmittedAt);
        return bySubmission != 0 ? bySubmission : string.CompareOrdinal(a.JobId, b.JobId);
    });
}
