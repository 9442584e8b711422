namespace Sched.Scheduler.Placement;

/// <summary>
/// Places shards onto nodes: a pure function of the cluster snapshot and the shards asking for room.
/// Each shard takes the best feasible node; what it takes is gone for the shards after it.
/// </summary>
public static class Placer
{
    private static readonly FeasibilityCheck[] Checks =
    [
        FeasibilityChecks.Healthy,      // a node that cannot run containers gets nothing
        FeasibilityChecks.Constraints,  // the job's own rules about where it may run
        FeasibilityChecks.MaxPerNode,   // the job's own cap per node
        FeasibilityChecks.Memory,       // memory is a hard limit in the container
        FeasibilityChecks.Cpu,          // so is the CPU quota
    ];

    public static PlacementResult Place(ClusterSnapshot cluster, IReadOnlyList<ShardRequest> requests)
    {
        var nodes = new NodeState[cluster.Nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = new NodeState(cluster.Nodes[i]);
        }

        var placed = new List<PlacementDecision>(requests.Count);
        var unplaced = new List<UnplacedShard>();
        UnplacedShard? lastFailure = null;
        foreach (var request in requests)
        {
            // Nothing frees up during a run and a job only gains shards per node, so when a shard of a job fits
            // nowhere, the same job's next shards fit nowhere for the same reasons: no need to ask every node again.
            if (lastFailure is not null && AsksTheSame(lastFailure.Request, request))
            {
                unplaced.Add(lastFailure with { Request = request });
                continue;
            }

            var best = FindBest(nodes, request);
            if (best < 0)
            {
                var rejections = Reject(nodes, request);
                lastFailure = new UnplacedShard(request, PendingReason.Summarize(request, rejections), rejections);
                unplaced.Add(lastFailure);
                continue;
            }

            lastFailure = null;
            ref var node = ref nodes[best];
            placed.Add(new PlacementDecision(request, node.Snapshot.Name, node.FreeMemory, node.FreeMilliCpus));
            node.Take(request);
        }

        return new PlacementResult(placed, unplaced);
    }

    /// <summary>Same job, resources and rules: the same feasibility everywhere (a node to avoid only changes the ranking).</summary>
    private static bool AsksTheSame(ShardRequest a, ShardRequest b) =>
        a.Id.JobId == b.Id.JobId && a.Resources == b.Resources && a.Rules == b.Rules;

    private static int FindBest(NodeState[] nodes, ShardRequest request)
    {
        var best = -1;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (FirstRejection(nodes[i], request) is null
                && (best < 0 || Rankers.Compare(nodes[i], nodes[best], request) < 0))
            {
                best = i;
            }
        }

        return best;
    }

    private static Rejection? FirstRejection(in NodeState node, ShardRequest request)
    {
        foreach (var check in Checks)
        {
            if (check(node, request) is { } rejection)
            {
                return rejection;
            }
        }

        return null;
    }

    private static List<Rejection> Reject(NodeState[] nodes, ShardRequest request)
    {
        var rejections = new List<Rejection>(nodes.Length);
        foreach (var node in nodes)
        {
            if (FirstRejection(node, request) is { } rejection)
            {
                rejections.Add(rejection);
            }
        }

        return rejections;
    }
}
