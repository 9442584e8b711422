using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>A retry waits out its backoff, then goes to another node when one fits.</summary>
public class RetryPlacementSpecs
{
    private static SchedulerState FailedOnce(int nodes, out NodeRegistry registry)
    {
        registry = Registry(nodes, T0);
        var state = Submitted(Spec(shards: 1));
        state = state.Placed(registry.Snapshot(state, T0), T0).Started(Attempt(1, 1));
        return state.Ended(Attempt(1, 1), 3, T0);
    }

    [Fact]
    public void A_retry_must_wait_until_RetryAt()
    {
        var state = FailedOnce(3, out var registry);
        var retryAt = state.Shard(1).RetryAt!.Value;

        var early = SchedulerDecisions.Place(state, registry.Snapshot(state, retryAt.AddMilliseconds(-1)), retryAt.AddMilliseconds(-1));

        Assert.Equal(T0 + Backoff, retryAt);
        Assert.Empty(early.Events.OfType<ShardPlaced>());
        Assert.Equal(ShardStatus.Pending, state.Shard(1).Status);
        Assert.Equal("exit code 3", state.Shard(1).Reason);
    }

    [Fact]
    public void After_RetryAt_the_retry_must_be_placed_as_attempt_2_on_another_node()
    {
        var state = FailedOnce(3, out var registry);
        var firstNode = state.Shard(1).LastNode;
        var retryAt = state.Shard(1).RetryAt!.Value;

        var placed = Assert.Single(SchedulerDecisions.Place(state, registry.Snapshot(state, retryAt), retryAt).Events.OfType<ShardPlaced>());

        Assert.Equal(Attempt(1, 2), placed.Id);
        Assert.NotNull(firstNode);
        Assert.NotEqual(firstNode, placed.Node);
    }

    [Fact]
    public void A_retry_must_go_back_to_the_same_node_when_it_is_the_only_one()
    {
        var state = FailedOnce(1, out var registry);
        var retryAt = state.Shard(1).RetryAt!.Value;

        var placed = Assert.Single(SchedulerDecisions.Place(state, registry.Snapshot(state, retryAt), retryAt).Events.OfType<ShardPlaced>());

        Assert.Equal(("node1", 2), (placed.Node, placed.Id.Attempt));
    }

    [Fact]
    public void NextRetry_must_be_the_earliest_backoff_still_ahead()
    {
        var state = Submitted(Spec(shards: 2)).Placed(Nodes(2), T0).Started(Attempt(1, 1)).Started(Attempt(2, 1));
        state = state.Ended(Attempt(1, 1), 1, T0).Ended(Attempt(2, 1), 1, T0.AddSeconds(1));

        Assert.Equal(T0 + Backoff, SchedulerDecisions.NextRetry(state, T0));
        Assert.Equal(T0.AddSeconds(1) + Backoff, SchedulerDecisions.NextRetry(state, T0 + Backoff));
        Assert.Null(SchedulerDecisions.NextRetry(state, T0.AddMinutes(1)));
    }

    [Fact]
    public void NextRetry_must_be_null_when_nothing_waits_for_a_backoff()
    {
        var pending = Submitted(Spec(shards: 2));
        var retrying = FailedOnce(1, out _);
        var stopped = retrying.ApplyAll(SchedulerDecisions.Stop(retrying, JobId, T0));

        Assert.Null(SchedulerDecisions.NextRetry(pending, T0));
        Assert.NotNull(SchedulerDecisions.NextRetry(retrying, T0));
        Assert.Null(SchedulerDecisions.NextRetry(stopped, T0));
    }

    [Fact]
    public void A_shard_that_fits_nowhere_must_wait_with_its_reason_said_once()
    {
        var state = Submitted(Spec(shards: 1, memory: 2 * Gi));
        var cluster = Nodes(2, memory: 1 * Gi);

        var first = SchedulerDecisions.Place(state, cluster, T0);
        state = state.ApplyAll(first.Events);
        var second = SchedulerDecisions.Place(state, cluster, T0.AddSeconds(5));

        var waiting = Assert.IsType<ShardWaiting>(Assert.Single(first.Events));
        Assert.Contains("needs 2Gi memory; largest free is 1Gi", waiting.Reason);
        Assert.Empty(second.Events);
        Assert.Equal(JobStatus.Pending, state.Job(JobId)!.Status);
        Assert.StartsWith("shard 1 pending: needs 2Gi memory", state.Job(JobId)!.Reason);
    }

    [Fact]
    public void A_waiting_shard_must_be_placed_when_capacity_appears()
    {
        var state = Submitted(Spec(shards: 1, memory: 2 * Gi)).Placed(Nodes(1, memory: 1 * Gi), T0);

        state = state.Placed(Nodes(2, memory: 4 * Gi), T0.AddMinutes(1));

        Assert.Equal((ShardStatus.Placed, 1), (state.Shard(1).Status, state.Shard(1).Attempt));
        Assert.Null(state.Shard(1).Reason);
    }
}
