using Sched.Contracts.Jobs;

namespace Sched.Scheduler.Decisions.Placement;

/// <summary>
/// Orders two feasible nodes for a shard: negative when the first is the better choice.
/// Ties end on the node name so the same input always gives the same placement.
/// </summary>
public static class Rankers
{
    public static int Compare(NodeState a, NodeState b, ShardRequest request)
    {
        var avoid = AvoidPreviousNode(a, b, request);
        if (avoid != 0)
        {
            return avoid;
        }

        var byStrategy = request.Rules.Strategy == PlacementStrategy.Binpack
            ? Binpack(a, b)
            : Spread(a, b, request.Id.JobId);
        return byStrategy != 0 ? byStrategy : string.CompareOrdinal(a.Snapshot.Name, b.Snapshot.Name);
    }

    /// <summary>A retried shard goes elsewhere when anywhere else fits.</summary>
    private static int AvoidPreviousNode(NodeState a, NodeState b, ShardRequest request)
    {
        if (request.AvoidNode is null)
        {
            return 0;
        }

        var aAvoided = a.Snapshot.Name == request.AvoidNode;
        var bAvoided = b.Snapshot.Name == request.AvoidNode;
        return aAvoided == bAvoided ? 0 : aAvoided ? 1 : -1;
    }

    /// <summary>Fewest shards of this job first, then the most free memory, then the most free CPU.</summary>
    private static int Spread(NodeState a, NodeState b, string jobId)
    {
        var byShards = a.ShardsOf(jobId).CompareTo(b.ShardsOf(jobId));
        if (byShards != 0)
        {
            return byShards;
        }

        var byMemory = b.FreeMemory.CompareTo(a.FreeMemory);
        return byMemory != 0 ? byMemory : b.FreeMilliCpus.CompareTo(a.FreeMilliCpus);
    }

    /// <summary>The least free memory that still fits, then the least free CPU.</summary>
    private static int Binpack(NodeState a, NodeState b)
    {
        var byMemory = a.FreeMemory.CompareTo(b.FreeMemory);
        return byMemory != 0 ? byMemory : a.FreeMilliCpus.CompareTo(b.FreeMilliCpus);
    }
}
