using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Hand-built nodes and shard requests for placement tests.</summary>
internal static class TestCluster
{
    public const long Mi = 1L << 20;
    public const long Gi = 1L << 30;

    public static NodeSnapshot Node(
        string name,
        long memory = 8 * Gi,
        int milliCpus = 4000,
        long usedMemory = 0,
        int usedMilliCpus = 0,
        bool healthy = true,
        string? arch = null,
        ImmutableDictionary<string, int>? shardsByJob = null)
    {
        var labels = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
        if (arch is not null)
        {
            labels = labels.Add("arch", arch);
        }

        return new NodeSnapshot(
            name,
            labels,
            healthy,
            healthy ? null : "podman socket down",
            new NodeCapacity(milliCpus, memory),
            new NodeCapacity(usedMilliCpus, usedMemory),
            shardsByJob ?? ImmutableDictionary<string, int>.Empty);
    }

    /// <summary>count equal nodes named node1..nodeN.</summary>
    public static ClusterSnapshot Equal(int count, long memory = 8 * Gi, int milliCpus = 4000) =>
        ClusterSnapshot.Of(Enumerable.Range(1, count).Select(i => Node($"node{i}", memory, milliCpus)));

    public static ClusterSnapshot Of(params NodeSnapshot[] nodes) => ClusterSnapshot.Of(nodes);

    public static PlacementRules Rules(
        PlacementStrategy strategy = PlacementStrategy.Spread,
        int? maxShardsPerNode = null,
        params PlacementConstraint[] constraints) =>
        new(strategy, maxShardsPerNode, [.. constraints]);

    public static PlacementConstraint NodeIsNot(string node) => new("node", ConstraintOperator.NotEqual, node);

    public static PlacementConstraint ArchIs(string arch) => new("arch", ConstraintOperator.Equal, arch);

    /// <summary>Shards 1..count of one job, first attempts, all alike.</summary>
    public static List<ShardRequest> Shards(
        int count,
        long memory = 256 * Mi,
        int milliCpus = 500,
        PlacementRules? rules = null,
        string jobId = "job") =>
        Enumerable.Range(1, count)
            .Select(i => new ShardRequest(
                new ShardAttemptId(jobId, i, 1), new ShardResources(memory, milliCpus), rules ?? Rules()))
            .ToList();

    /// <summary>How many shards each node got, in node order, nodes with none included.</summary>
    public static int[] CountsPerNode(ClusterSnapshot cluster, PlacementResult result) =>
        cluster.Nodes.Select(n => result.Placed.Count(p => p.Node == n.Name)).ToArray();
}
