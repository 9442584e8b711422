using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Tests.State;

/// <summary>Job specs and a little state driving for the scheduler-state tests.</summary>
internal static class TestJobs
{
    public const long Mi = 1L << 20;
    public const long Gi = 1L << 30;
    public const string JobId = "proc-00000a";

    /// <summary>A fixed instant, so times in assertions read as offsets from it.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Backoff = TimeSpan.FromSeconds(2);

    public static JobSpec Spec(
        int shards = 3,
        JobType type = JobType.Batch,
        RestartPolicy? restart = null,
        long memory = 256 * Mi,
        int milliCpus = 500,
        ImmutableSortedDictionary<string, string>? env = null) =>
        new(
            "proc",
            "proc:latest",
            ["/bin/process", "--verbose"],
            env ?? ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
            shards,
            type,
            new ShardResources(memory, milliCpus),
            restart ?? OnFailure(3),
            new PlacementRules(PlacementStrategy.Spread, null, []));

    public static RestartPolicy OnFailure(int attempts) => new(RestartMode.OnFailure, attempts, Backoff);

    public static SchedulerState Submitted(JobSpec spec, string jobId = JobId, DateTimeOffset? at = null) =>
        SchedulerState.Empty.ApplyAll(SchedulerDecisions.Accept(jobId, spec, at ?? T0));

    public static SchedulerState ApplyAll(this SchedulerState state, IEnumerable<ISchedulerEvent> events) =>
        events.Aggregate(state, (s, e) => s.Apply(e));

    /// <summary>One placement round as the scheduler runs it: places whatever waits on the given cluster.</summary>
    public static SchedulerState Placed(this SchedulerState state, ClusterSnapshot cluster, DateTimeOffset now) =>
        state.Apply(SchedulerDecisions.Place(state, cluster, now));

    public static SchedulerState Started(this SchedulerState state, ShardAttemptId id) =>
        state.ApplyAll(SchedulerDecisions.Started(state, id, $"c-{id.Shard}-{id.Attempt}"));

    /// <summary>Jitter 0.5 makes the backoff exact (no spread), so retry times are predictable.</summary>
    public static SchedulerState Ended(this SchedulerState state, ShardAttemptId id, long exitCode, DateTimeOffset now) =>
        state.ApplyAll(SchedulerDecisions.Ended(state, id, AttemptEnd.Exited(exitCode, false), now, 0.5));

    public static ShardAttemptId Attempt(int shard, int attempt, string jobId = JobId) => new(jobId, shard, attempt);

    public static ShardRecord Shard(this SchedulerState state, int shard, string jobId = JobId) =>
        state.Job(jobId)!.Shard(shard);

    public static ClusterSnapshot Nodes(int count, long memory = 8 * Gi) =>
        ClusterSnapshot.Of(Enumerable.Range(1, count).Select(i => new NodeSnapshot(
            $"node{i}",
            ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
            true,
            null,
            new NodeCapacity(4000, memory),
            new NodeCapacity(0, 0),
            ImmutableDictionary<string, int>.Empty)));

    /// <summary>count healthy nodes node1..nodeN, each reporting at the given instant.</summary>
    public static NodeRegistry Registry(int count, DateTimeOffset at, long memory = 8 * Gi) =>
        Enumerable.Range(1, count).Aggregate(NodeRegistry.Empty, (registry, i) => registry.Report(Report($"node{i}", memory), at));

    public static RegisterNode Report(string node, long memory = 8 * Gi, bool healthy = true) =>
        new(
            node,
            $"akka.tcp://sched@127.0.0.1:{4053 + int.Parse(node[4..], System.Globalization.CultureInfo.InvariantCulture)}",
            new NodeCapacity(4500, memory + (512 * Mi)),
            new NodeCapacity(4000, memory),
            ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
            healthy,
            healthy ? null : "podman socket down");
}
