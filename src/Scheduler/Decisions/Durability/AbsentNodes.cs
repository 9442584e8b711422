using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Decisions.Durability;

/// <summary>
/// Shards the recovered state places on nodes that have not reported to this scheduler yet: a node downed while
/// this node watched has fenced, so its shards are lost now (after what is left of the fencing margin); any other
/// node may be restarting with its containers running, so it gets the grace of a node that left.
/// </summary>
public static class AbsentNodes
{
    public static IReadOnlyList<AbsentNode> Of(
        SchedulerState state, NodeRegistry nodes, IReadOnlyDictionary<string, DateTimeOffset> downed, DateTimeOffset now, TimeSpan fencingMargin) =>
        [.. SchedulerDecisions.NodesWithActiveShards(state).Where(n => !nodes.Nodes.ContainsKey(n)).Select(node =>
            downed.TryGetValue(node, out var downedAt)
                ? new AbsentNode(node, Max(downedAt + fencingMargin - now, TimeSpan.Zero))
                : new AbsentNode(node, LoseAfter: null))];

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>LoseAfter: the node was downed, its shards are lost after this margin; null: wait for it as for a node that left.</summary>
public sealed record AbsentNode(string Node, TimeSpan? LoseAfter);
