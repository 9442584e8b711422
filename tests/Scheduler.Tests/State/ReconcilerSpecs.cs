using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

public sealed class ReconcilerSpecs
{
    [Fact]
    public void A_running_container_the_scheduler_still_assigns_there_must_be_kept_and_any_other_removed()
    {
        var state = Running(shards: 2);
        var mine = Report(Attempt(1, 1), running: true);
        var stale = Report(Attempt(2, 7), running: true);

        var result = Reconciler.Reconcile(state, NodeOf(state, 1), [mine, stale, Report(Attempt(2, 1), running: true)], [], T0);

        Assert.Equal([mine.Id, Attempt(2, 1)], result.Keep.Select(k => k.Id).OrderBy(id => id.Shard).ToArray());
        Assert.Equal([stale.Id], result.Remove.Select(r => r.Id).ToArray());
    }

    [Fact]
    public void A_running_shard_whose_container_is_gone_must_be_lost_unless_the_agent_supervises_it()
    {
        var state = Running(shards: 2);
        var node = NodeOf(state, 1);

        var result = Reconciler.Reconcile(state, node, [], [Attempt(2, 1)], T0);

        var lost = Assert.IsType<ShardLost>(Assert.Single(result.Events));
        Assert.Equal(Attempt(1, 1), lost.Id);
    }

    [Fact]
    public void A_container_that_exited_while_nobody_watched_must_be_judged_like_an_exit()
    {
        var state = Running(shards: 1);

        var result = Reconciler.Reconcile(state, NodeOf(state, 1), [Report(Attempt(1, 1), running: false, exitCode: 0)], [], T0);

        Assert.Equal(0, Assert.Single(result.Exited).ExitCode);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void A_placed_shard_the_agent_neither_has_nor_supervises_must_be_started_again_not_lost()
    {
        var state = Submitted(Spec(shards: 2)).Placed(Nodes(1), T0);

        var result = Reconciler.Reconcile(state, NodeOf(state, 1), [], [Attempt(2, 1)], T0);

        Assert.Equal([Attempt(1, 1)], result.StartAgain);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void A_placed_shard_whose_container_was_created_but_never_started_must_be_started_again_not_judged_as_an_exit()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(1), T0);
        var created = Report(Attempt(1, 1), running: false) with { NeverStarted = true };

        var result = Reconciler.Reconcile(state, NodeOf(state, 1), [created], [], T0);

        Assert.Equal([Attempt(1, 1)], result.StartAgain);
        Assert.Empty(result.Exited);
        Assert.Empty(result.Events);
    }

    private static SchedulerState Running(int shards)
    {
        var state = Submitted(Spec(shards: shards)).Placed(Nodes(1), T0);
        return Enumerable.Range(1, shards).Aggregate(state, (s, i) => s.Started(Attempt(i, 1)));
    }

    private static string NodeOf(SchedulerState state, int shard) => state.Shard(shard).Node!;

    private static ContainerReport Report(ShardAttemptId id, bool running, long? exitCode = null) =>
        new(id, $"c-{id.Shard}-{id.Attempt}", running, exitCode, false);
}
