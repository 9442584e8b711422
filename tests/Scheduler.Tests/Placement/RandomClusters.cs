using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Random clusters and jobs for the placement property test. Everything comes from the one Random given.</summary>
internal static class RandomClusters
{
    public const string JobId = "job";

    public static ClusterSnapshot Cluster(Random random)
    {
        var nodes = Enumerable.Range(1, random.Next(1, 21)).Select(i =>
        {
            var memory = random.Next(1, 33) * 512 * Mi;
            var milliCpus = random.Next(1, 33) * 250;
            // Half of them busy with other work; now and then over capacity, as after a node shrank its reservation.
            var busy = random.Next(2) == 0;
            var overcommitted = random.Next(20) == 0;
            var usedMemory = overcommitted ? memory + Mi : busy ? random.Next(0, (int)(memory / Mi) + 1) * Mi : 0;
            var usedMilliCpus = overcommitted ? milliCpus : busy ? random.Next(0, milliCpus + 1) : 0;
            var others = random.Next(4);
            return Node(
                $"node{i}",
                memory,
                milliCpus,
                usedMemory,
                usedMilliCpus,
                healthy: random.Next(6) != 0,
                arch: random.Next(3) switch { 0 => "amd64", 1 => "arm64", _ => null },
                shardsByJob: others == 0 ? null : ImmutableDictionary<string, int>.Empty.Add("other", others));
        });
        return ClusterSnapshot.Of(nodes);
    }

    /// <summary>One job's shards; some of them retries that would rather avoid a node.</summary>
    public static List<ShardRequest> Job(Random random, ClusterSnapshot cluster)
    {
        var resources = new ShardResources(random.Next(1, 9) * 128 * Mi, random.Next(1, 5) * 125);
        var rules = new PlacementRules(
            random.Next(2) == 0 ? PlacementStrategy.Spread : PlacementStrategy.Binpack,
            random.Next(3) == 0 ? random.Next(1, 5) : null,
            Constraints(random, cluster.Nodes.Length).ToImmutableArray());
        var retries = random.Next(4) == 0;
        return Enumerable.Range(1, random.Next(1, 31))
            .Select(shard => retries && random.Next(2) == 0
                ? new ShardRequest(new ShardAttemptId(JobId, shard, 2), resources, rules, $"node{random.Next(1, cluster.Nodes.Length + 1)}")
                : new ShardRequest(new ShardAttemptId(JobId, shard, 1), resources, rules))
            .ToList();
    }

    private static IEnumerable<PlacementConstraint> Constraints(Random random, int nodes)
    {
        var count = random.Next(3) == 0 ? random.Next(1, 3) : 0;
        for (var i = 0; i < count; i++)
        {
            yield return random.Next(3) switch
            {
                0 => new PlacementConstraint("node", ConstraintOperator.NotEqual, $"node{random.Next(1, nodes + 1)}"),
                1 => new PlacementConstraint("arch", ConstraintOperator.Equal, random.Next(2) == 0 ? "arm64" : "amd64"),
                _ => new PlacementConstraint("arch", ConstraintOperator.NotEqual, "amd64"),
            };
        }
    }
}
