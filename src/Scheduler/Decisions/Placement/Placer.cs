using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.Placement;

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
        FeasibilityChecks.HostPorts,    // a fixed host port is held by one shard per node
        FeasibilityChecks.Memory,       // memory is a hard limit in the container
        FeasibilityChecks.Cpu,          // so is the CPU quota
    ];

    /// <summary>
    /// Places the requests in order. Shapes in <paramref name="knownNoRoom"/> found no room in an earlier run and
    /// nothing has freed since: they are not asked again.
    /// </summary>
    public static PlacementResult Place(
        ClusterSnapshot cluster, IReadOnlyList<ShardRequest> requests, ImmutableDictionary<RequestShape, UnplacedShard>? knownNoRoom = null)
    {
        var nodes = new RoundNodes(cluster);
        var noRoom = (knownNoRoom ?? ImmutableDictionary<RequestShape, UnplacedShard>.Empty).ToBuilder();
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

            // Likewise, within a run or since one that found no room for the shape.
            var shape = RequestShape.Of(request);
            if (shape is { } known && noRoom.TryGetValue(known, out var earlier))
            {
                lastFailure = earlier with { Request = request };
                unplaced.Add(lastFailure);
                continue;
            }

            var best = FindBest(nodes, request);
            if (best < 0)
            {
                var rejections = Reject(nodes, request);
                lastFailure = new UnplacedShard(request, PendingReason.Summarize(request, rejections), rejections);
                unplaced.Add(lastFailure);
                if (shape is { } failed)
                {
                    noRoom[failed] = lastFailure;
                }

                continue;
            }

            lastFailure = null;
            var node = nodes[best];
            placed.Add(new PlacementDecision(request, node.Snapshot.Name, node.FreeMemory, node.FreeMilliCpus));
            node.Take(request);
        }

        return new PlacementResult(placed, unplaced, noRoom.ToImmutable());
    }

    /// <summary>Same job, resources and rules: the same feasibility everywhere (a node to avoid only changes the ranking).</summary>
    private static bool AsksTheSame(ShardRequest a, ShardRequest b) =>
        a.Id.JobId == b.Id.JobId && a.Resources == b.Resources && a.Rules == b.Rules;

    /// <summary>Up to this many nodes every node is weighed for every shard: the best node, always.</summary>
    public const int WeighEveryNodeUpTo = 64;

    /// <summary>
    /// On a small cluster, the best of all nodes. On a larger one, the best of the first few feasible nodes met in an
    /// order that starts at a place drawn from the shard's id (log2 of the cluster size, at least 2; Nomad does the
    /// same): the cost per shard then stays about the same from 64 to thousands of nodes, while spread still
    /// spreads. The draw is a hash, not a random number, so the same input still gives the same placement. Binpack
    /// always starts at the first node, so the shards after one see the same candidates and fill them up.
    /// </summary>
    private static int FindBest(RoundNodes nodes, ShardRequest request)
    {
        var wanted = nodes.Count <= WeighEveryNodeUpTo ? nodes.Count : Math.Max(2, (int)Math.Ceiling(Math.Log2(nodes.Count)));
        var start = nodes.Count <= WeighEveryNodeUpTo || request.Rules.Strategy == PlacementStrategy.Binpack ? 0 : StartFor(request.Id, nodes.Count);
        var best = -1;
        var found = 0;
        for (var k = 0; k < nodes.Count && (found < wanted || IsAvoided(nodes, best, request)); k++)
        {
            var i = (start + k) % nodes.Count;
            if (FirstRejection(nodes[i], request) is null)
            {
                found++;
                if (best < 0 || Rankers.Compare(nodes[i], nodes[best], request) < 0)
                {
                    best = i;
                }
            }
        }

        return best;
    }

    /// <summary>A retried shard's previous node is taken only when no other node fits: keep looking past it.</summary>
    private static bool IsAvoided(RoundNodes nodes, int best, ShardRequest request) =>
        best >= 0 && request.AvoidNode is { } avoid && nodes[best].Snapshot.Name == avoid;

    /// <summary>FNV-1a over job id and shard number: stable across processes, unlike string.GetHashCode.</summary>
    private static int StartFor(ShardAttemptId id, int nodeCount)
    {
        var hash = 2166136261u;
        foreach (var c in id.JobId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash = (hash ^ (uint)id.Shard) * 16777619u;
        return (int)(hash % (uint)nodeCount);
    }

    private static Rejection? FirstRejection(NodeState node, ShardRequest request)
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

    private static List<Rejection> Reject(RoundNodes nodes, ShardRequest request)
    {
        var rejections = new List<Rejection>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (FirstRejection(nodes[i], request) is { } rejection)
            {
                rejections.Add(rejection);
            }
        }

        return rejections;
    }

    /// <summary>
    /// The nodes of one run, each built from the snapshot when the run first looks at it. A small cluster keeps
    /// them in an array; a large one, of which a run looks at a few nodes, only those it looked at.
    /// </summary>
    private sealed class RoundNodes(ClusterSnapshot cluster)
    {
        private readonly NodeState?[]? _all = cluster.Count <= WeighEveryNodeUpTo ? new NodeState?[cluster.Count] : null;
        private readonly Dictionary<int, NodeState> _seen = [];

        public int Count => cluster.Count;

        public NodeState this[int index]
        {
            get
            {
                if (_all is not null)
                {
                    return _all[index] ??= new NodeState(cluster.Node(index));
                }

                if (!_seen.TryGetValue(index, out var node))
                {
                    node = new NodeState(cluster.Node(index));
                    _seen.Add(index, node);
                }

                return node;
            }
        }
    }
}
