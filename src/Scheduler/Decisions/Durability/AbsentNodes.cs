using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Decisions.Durability;

/// <summary>
/// Shards the recovered state places on nodes that have not reported to this scheduler yet. Not having reported is
/// never a reason to lose them: a node counts as gone only when this cluster downed it or saw it leave. The first
/// rule that matches wins:
/// <list type="number">
/// <item>a live member of the cluster will report: its report decides (reconciliation keeps what runs there);</item>
/// <item>downed while a scheduler node watched: its agent has fenced, so its shards are lost once the fencing margin is over;</item>
/// <item>left while a scheduler node watched: lost once a left node's grace is over, unless it comes back first;</item>
/// <item>never seen in this cluster (a cold start without it): the scheduler waits for it, and says so.</item>
/// </list>
/// </summary>
public static class AbsentNodes
{
    public static IReadOnlyList<AbsentNode> Of(
        SchedulerState state, NodeRegistry nodes, ClusterView cluster, DateTimeOffset now, TimeSpan fencingMargin, TimeSpan leftGrace) =>
        [.. SchedulerDecisions.NodesWithActiveShards(state).Where(n => !nodes.Nodes.ContainsKey(n)).Order(StringComparer.Ordinal)
            .Select(node => new AbsentNode(node, Judge(node, cluster, now, fencingMargin, leftGrace)))];

    private static AbsentVerdict Judge(string node, ClusterView cluster, DateTimeOffset now, TimeSpan fencingMargin, TimeSpan leftGrace) =>
        cluster.Members.Contains(node) ? AbsentVerdict.AwaitReport.Instance
        : cluster.Removed.TryGetValue(node, out var removal) && removal.Downed ? new AbsentVerdict.LoseAfter(Remaining(removal.At + fencingMargin, now))
        : cluster.Removed.TryGetValue(node, out removal) ? new AbsentVerdict.LoseAfter(Remaining(removal.At + leftGrace, now))
        : AbsentVerdict.NotInCluster.Instance;

    private static TimeSpan Remaining(DateTimeOffset until, DateTimeOffset now) => until > now ? until - now : TimeSpan.Zero;
}

/// <summary>
/// What a scheduler knows of the cluster when it recovers. Members: node names with a live incarnation (joining,
/// up, leaving; not downed). Removed: nodes this cluster downed or saw leave, and when, as a scheduler node watched.
/// </summary>
public sealed record ClusterView(IReadOnlySet<string> Members, IReadOnlyDictionary<string, NodeRemoval> Removed);

/// <summary>When a node left the cluster, and whether it was downed (it fenced) rather than leaving on its own.</summary>
public sealed record NodeRemoval(DateTimeOffset At, bool Downed);

public sealed record AbsentNode(string Node, AbsentVerdict Verdict);

public abstract record AbsentVerdict
{
    private AbsentVerdict()
    {
    }

    /// <summary>A live member: wait for its report, however long; if the cluster downs it, its shards are lost then.</summary>
    public sealed record AwaitReport : AbsentVerdict
    {
        public static readonly AwaitReport Instance = new();
    }

    /// <summary>The cluster removed it: its shards are lost after this, unless it reports first.</summary>
    public sealed record LoseAfter(TimeSpan Delay) : AbsentVerdict;

    /// <summary>Not in this cluster and never removed from it: wait for it, and tell the operator.</summary>
    public sealed record NotInCluster : AbsentVerdict
    {
        public static readonly NotInCluster Instance = new();
    }
}
