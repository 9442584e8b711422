using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>A shard's way from submitted to succeeded, and messages that arrive too late to matter.</summary>
public class ShardLifecycleSpecs
{
    [Fact]
    public void Submit_must_leave_every_shard_pending_before_any_attempt()
    {
        var state = Submitted(Spec(shards: 3));

        var job = state.Job(JobId)!;
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal([1, 2, 3], job.Shards.Select(s => s.Shard));
        Assert.All(job.Shards, s => Assert.Equal((ShardStatus.Pending, 0), (s.Status, s.Attempt)));
    }

    [Fact]
    public void Place_must_emit_ShardPlaced_with_attempt_1_for_every_shard_3_on_3_nodes()
    {
        var state = Submitted(Spec(shards: 3));

        var round = SchedulerDecisions.Place(state, Nodes(3), T0);

        var placed = round.Events.OfType<ShardPlaced>().ToList();
        Assert.Equal(3, placed.Count);
        Assert.All(placed, p => Assert.Equal(1, p.Id.Attempt));
        Assert.Equal(3, placed.Select(p => p.Node).Distinct().Count());
        Assert.All(state.ApplyAll(round.Events).Job(JobId)!.Shards, s => Assert.Equal(ShardStatus.Placed, s.Status));
    }

    [Fact]
    public void Started_must_mark_the_shard_running_with_its_container()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(1), T0);

        state = state.Started(Attempt(1, 1));

        Assert.Equal(ShardStatus.Running, state.Shard(1).Status);
        Assert.Equal("c-1-1", state.Shard(1).ContainerId);
        Assert.Equal(JobStatus.Running, state.Job(JobId)!.Status);
    }

    [Fact]
    public void Started_twice_must_decide_nothing_the_second_time()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(1), T0).Started(Attempt(1, 1));

        Assert.Empty(SchedulerDecisions.Started(state, Attempt(1, 1), "c-again"));
    }

    [Fact]
    public void Batch_exit_0_must_succeed_and_never_be_placed_again()
    {
        var state = Submitted(Spec(shards: 2)).Placed(Nodes(2), T0).Started(Attempt(1, 1));

        var events = SchedulerDecisions.Ended(state, Attempt(1, 1), AttemptEnd.Exited(0, false), T0, 0.5);
        state = state.ApplyAll(events);

        Assert.IsType<ShardSucceeded>(Assert.Single(events));
        Assert.Equal(ShardStatus.Succeeded, state.Shard(1).Status);
        Assert.Empty(SchedulerDecisions.Place(state, Nodes(2), T0.AddHours(1)).Events);
    }

    [Fact]
    public void All_shards_exiting_0_must_complete_the_job()
    {
        var state = Submitted(Spec(shards: 2)).Placed(Nodes(2), T0).Started(Attempt(1, 1)).Started(Attempt(2, 1));

        state = state.Ended(Attempt(1, 1), 0, T0).Ended(Attempt(2, 1), 0, T0);

        Assert.Equal(JobStatus.Complete, state.Job(JobId)!.Status);
        Assert.Null(SchedulerDecisions.NextRetry(state, T0));
    }

    [Fact]
    public void Stale_messages_of_an_old_attempt_must_decide_nothing()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(2), T0).Started(Attempt(1, 1)).Ended(Attempt(1, 1), 3, T0);
        var retried = state.Placed(Nodes(2), T0.AddMinutes(1)).Started(Attempt(1, 2));

        Assert.Empty(SchedulerDecisions.Started(state, Attempt(1, 1), "late"));
        Assert.Empty(SchedulerDecisions.Ended(state, Attempt(1, 1), AttemptEnd.Exited(3, false), T0, 0.5));
        Assert.Empty(SchedulerDecisions.Ended(retried, Attempt(1, 1), AttemptEnd.Exited(0, false), T0, 0.5));
        Assert.Empty(SchedulerDecisions.Started(retried, Attempt(1, 1), "late"));
        Assert.Equal(ShardStatus.Running, retried.Shard(1).Status);
    }

    [Fact]
    public void Messages_about_unknown_jobs_or_shards_must_decide_nothing()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(1), T0);

        Assert.Empty(SchedulerDecisions.Started(state, Attempt(1, 1, "nope-000000"), "c"));
        Assert.Empty(SchedulerDecisions.Started(state, Attempt(2, 1), "c"));
        Assert.Empty(SchedulerDecisions.Ended(state, Attempt(0, 1), AttemptEnd.Exited(1, false), T0, 0.5));
        Assert.Empty(SchedulerDecisions.Stop(state, "nope-000000", T0));
    }

    [Fact]
    public void Job_ids_must_be_the_name_and_six_hex_digits_and_unique()
    {
        var first = JobIds.New("proc", SchedulerState.Empty, new Random(7));
        var state = Submitted(Spec(), first);

        var second = JobIds.New("proc", state, new Random(7));

        Assert.Matches("^proc-[0-9a-f]{6}$", first);
        Assert.Matches("^proc-[0-9a-f]{6}$", second);
        Assert.NotEqual(first, second);
    }
}
