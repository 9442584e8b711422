using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>A start nobody acknowledged is sent again, unchanged, and after the deadline its attempt is lost and placed again.</summary>
public sealed class LaunchWatchSpecs
{
    private static readonly StartAckTimings Timings = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));

    [Fact]
    public void An_unacknowledged_start_is_sent_again_every_2_s_with_the_same_attempt()
    {
        var (state, id, node) = OnePlaced();
        var watch = LaunchWatch.With(Timings).Sent(id, node, T0);

        var early = watch.Check(state, T0.AddSeconds(1));
        var due = early.Next.Check(state, T0.AddSeconds(2));
        var again = due.Next.Check(state, T0.AddSeconds(3));

        Assert.Empty(early.Resend);
        Assert.Equal([(id, node)], due.Resend);
        Assert.Empty(again.Resend);
        Assert.Equal([(id, node)], again.Next.Check(state, T0.AddSeconds(4)).Resend);
    }

    [Fact]
    public void An_acknowledged_start_is_never_sent_again_nor_lost()
    {
        var (state, id, node) = OnePlaced();
        var watch = LaunchWatch.With(Timings).Sent(id, node, T0).Acknowledged(id);

        var check = watch.Check(state, T0.AddMinutes(5));

        Assert.Empty(check.Resend);
        Assert.Empty(check.Lost);
    }

    [Fact]
    public void A_start_unacknowledged_at_the_deadline_loses_its_attempt_which_is_placed_again_as_the_next_one()
    {
        var (state, id, node) = OnePlaced();
        var watch = LaunchWatch.With(Timings).Sent(id, node, T0);
        for (var second = 2; second < 15; second += 2)
        {
            watch = watch.Check(state, T0.AddSeconds(second)).Next;
        }

        var check = watch.Check(state, T0.AddSeconds(15));

        var lost = Assert.IsType<ShardLost>(Assert.Single(check.Lost));
        Assert.Equal(id, lost.Id);
        Assert.Empty(check.Resend);
        Assert.Empty(check.Next.Waiting);
        var after = state.Apply(lost).Placed(Nodes(2), T0.AddSeconds(15));
        Assert.Equal((ShardStatus.Placed, 2), (after.Shard(1).Status, after.Shard(1).Attempt));
        Assert.Equal($"lost: node {node} did not acknowledge the start within 15 s", state.Apply(lost).Shard(1).Reason);
    }

    [Fact]
    public void A_start_sent_again_keeps_its_first_deadline()
    {
        var (state, id, node) = OnePlaced();
        var watch = LaunchWatch.With(Timings).Sent(id, node, T0).Sent(id, node, T0.AddSeconds(14));

        Assert.Single(watch.Check(state, T0.AddSeconds(15)).Lost);
    }

    [Fact]
    public void An_attempt_that_started_ended_or_was_stopped_meanwhile_is_no_longer_watched()
    {
        var (state, id, node) = OnePlaced();
        var watch = LaunchWatch.With(Timings).Sent(id, node, T0);

        foreach (var moved in new[] { state.Started(id), state.Ended(id, 0, T0), state.ApplyAll(SchedulerDecisions.Stop(state, JobId, T0)) })
        {
            var check = watch.Check(moved, T0.AddSeconds(30));
            Assert.Empty(check.Lost);
            Assert.Empty(check.Resend);
            Assert.Empty(check.Next.Waiting);
        }
    }

    [Fact]
    public void A_late_start_report_of_a_lost_attempt_is_stale_and_the_current_attempt_is_not()
    {
        var (state, id, node) = OnePlaced();
        var lost = state.Apply(new ShardLost(id, node, T0, "not acknowledged"));
        var replaced = lost.Placed(Nodes(2), T0);
        var current = Attempt(1, 2);

        Assert.False(SchedulerDecisions.IsStale(state, id, node));
        Assert.True(SchedulerDecisions.IsStale(replaced, id, node));
        Assert.False(SchedulerDecisions.IsStale(replaced, current, replaced.Shard(1).Node!));
        Assert.True(SchedulerDecisions.IsStale(replaced, current, "node9"));
    }

    private static (SchedulerState State, ShardAttemptId Id, string Node) OnePlaced()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(1), T0);
        return (state, Attempt(1, 1), state.Shard(1).Node!);
    }
}
