using Sched.Scheduler.Decisions.Durability;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Durability;

/// <summary>
/// A fresh scheduler (the singleton moved, or node1 restarted) recovers a job whose shards run on node1..node3 while
/// only node1 has reported to it so far. Which of the others it may take the shards from, and when.
/// </summary>
public sealed class AbsentNodesSpecs
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LeftGrace = TimeSpan.FromSeconds(60);

    /// <summary>Six shards spread over node1..node3 (two each), all running; only node1 has reported.</summary>
    private static readonly SchedulerState Recovered = Enumerable.Range(1, 6)
        .Aggregate(Submitted(Spec(shards: 6)).Placed(Nodes(3), T0), (state, shard) => state.Started(Attempt(shard, 1)));

    private static readonly NodeRegistry OnlyNode1Reported = NodeRegistry.Empty.Report(Report("node1"), T0);

    private static IReadOnlyList<AbsentNode> Judge(ClusterView cluster, DateTimeOffset now) =>
        AbsentNodes.Of(Recovered, OnlyNode1Reported, cluster, now, Margin, LeftGrace);

    private static ClusterView View(string members, params (string Node, NodeRemoval Removal)[] removed) =>
        new(members.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
            removed.ToDictionary(r => r.Node, r => r.Removal, StringComparer.Ordinal));

    [Fact]
    public void Members_that_have_not_reported_yet_keep_their_shards_however_long_the_scheduler_has_waited()
    {
        var verdicts = Judge(View("node1,node2,node3"), T0.AddHours(1));

        Assert.Equal([("node2", AbsentVerdict.AwaitReport.Instance), ("node3", AbsentVerdict.AwaitReport.Instance)],
            verdicts.Select(a => (a.Node, (AbsentVerdict)a.Verdict)));
    }

    [Fact]
    public void A_node_downed_in_this_cluster_loses_its_shards_once_the_fencing_margin_after_the_down_is_over()
    {
        var verdicts = Judge(View("node1,node3", ("node2", new NodeRemoval(T0, Downed: true))), T0.AddMilliseconds(400));

        Assert.Equal(new AbsentVerdict.LoseAfter(TimeSpan.FromMilliseconds(600)), verdicts.Single(a => a.Node == "node2").Verdict);
        Assert.Equal(AbsentVerdict.AwaitReport.Instance, verdicts.Single(a => a.Node == "node3").Verdict);
    }

    [Fact]
    public void A_node_that_left_this_cluster_keeps_its_shards_for_what_is_left_of_the_grace_of_a_leaving_node()
    {
        var verdicts = Judge(View("node1,node3", ("node2", new NodeRemoval(T0, Downed: false))), T0.AddSeconds(20));

        Assert.Equal(new AbsentVerdict.LoseAfter(TimeSpan.FromSeconds(40)), verdicts.Single(a => a.Node == "node2").Verdict);
    }

    [Fact]
    public void A_node_removed_earlier_that_has_joined_again_is_waited_for_as_a_member()
    {
        var verdicts = Judge(View("node1,node2,node3", ("node2", new NodeRemoval(T0, Downed: true))), T0.AddMinutes(5));

        Assert.All(verdicts, a => Assert.Equal(AbsentVerdict.AwaitReport.Instance, a.Verdict));
    }

    [Fact]
    public void A_node_this_cluster_never_saw_is_not_counted_lost_however_long_it_stays_away()
    {
        var verdicts = Judge(View("node1,node3"), T0.AddDays(1));

        Assert.Equal(AbsentVerdict.NotInCluster.Instance, verdicts.Single(a => a.Node == "node2").Verdict);
    }

    [Fact]
    public void Nodes_that_reported_are_not_absent_whatever_the_cluster_says_of_them()
    {
        var verdicts = Judge(View("", ("node1", new NodeRemoval(T0, Downed: true))), T0.AddMinutes(1));

        Assert.DoesNotContain(verdicts, a => a.Node == "node1");
        Assert.Equal(["node2", "node3"], verdicts.Select(a => a.Node));
    }
}
