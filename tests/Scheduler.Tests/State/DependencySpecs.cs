using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>after / afterAny: a job starts once the jobs it names succeeded (or ended); a failed one cancels it.</summary>
public sealed class DependencySpecs
{
    private const string First = "first-0000aa";
    private const string Then = "then-0000bb";

    private static readonly DateTimeOffset T1 = T0.AddSeconds(10);

    /// <summary>First runs one shard with no restarts; Then waits for it as the dependency says.</summary>
    private static SchedulerState BothSubmitted(JobDependencies after)
    {
        var state = Submitted(Spec(shards: 1, restart: OnFailure(0)), First).Placed(Nodes(2), T0).Started(Attempt(1, 1, First));
        return state.ApplyAll(SchedulerDecisions.Accept(Then, Spec(shards: 2) with { After = after }, T0)).Placed(Nodes(2), T0);
    }

    private static JobDependencies Succeeded(string id) => new([id], []);

    private static JobDependencies Ended(string id) => new([], [id]);

    [Fact]
    public void While_the_first_job_runs_the_next_is_not_placed_and_each_shard_says_what_it_waits_for()
    {
        var state = BothSubmitted(Succeeded(First));

        Assert.Equal(JobStatus.Pending, state.Job(Then)!.Status);
        Assert.All(state.Job(Then)!.Shards, s => Assert.Equal((ShardStatus.Pending, $"waits for job {First} to succeed"), (s.Status, s.Reason)));
    }

    [Fact]
    public void Once_the_first_job_succeeded_the_next_is_placed_in_the_next_round()
    {
        var state = BothSubmitted(Succeeded(First)).Ended(Attempt(1, 1, First), 0, T1).Placed(Nodes(2), T1);

        Assert.All(state.Job(Then)!.Shards, s => Assert.Equal(ShardStatus.Placed, s.Status));
    }

    [Fact]
    public void When_the_first_job_fails_the_next_is_cancelled_saying_which_job_failed()
    {
        var state = BothSubmitted(Succeeded(First)).Ended(Attempt(1, 1, First), 3, T1).Placed(Nodes(2), T1);

        var then = state.Job(Then)!;
        Assert.Equal(JobStatus.Cancelled, then.Status);
        Assert.Equal($"cancelled: job {First}, which it runs after, failed", then.Reason);
        Assert.All(then.Shards, s => Assert.Equal(ShardStatus.Stopped, s.Status));
        Assert.True(then.IsFinished);
    }

    [Fact]
    public void After_any_end_the_next_job_runs_even_when_the_first_failed()
    {
        var state = BothSubmitted(Ended(First)).Ended(Attempt(1, 1, First), 3, T1).Placed(Nodes(2), T1);

        Assert.All(state.Job(Then)!.Shards, s => Assert.Equal(ShardStatus.Placed, s.Status));
    }

    [Fact]
    public void A_first_job_stopped_before_any_shard_was_placed_still_cancels_the_next_at_once()
    {
        var waiting = Submitted(Spec(shards: 1), First)
            .ApplyAll(SchedulerDecisions.Accept(Then, Spec(shards: 1) with { After = Succeeded(First) }, T0))
            .Placed(Nodes(0), T0);
        var stopped = waiting.ApplyAll(SchedulerDecisions.Stop(waiting, First, T1));

        var state = stopped.Placed(Nodes(0), T1);

        Assert.Equal($"cancelled: job {First}, which it runs after, was stopped", state.Job(Then)!.Reason);
    }

    [Fact]
    public void A_cancelled_job_rerun_after_its_dependency_was_rerun_and_succeeded_runs()
    {
        var cancelled = BothSubmitted(Succeeded(First)).Ended(Attempt(1, 1, First), 3, T1).Placed(Nodes(2), T1);
        var firstAgain = cancelled.ApplyAll(SchedulerDecisions.Rerun(cancelled, First, null, T1).Events).Placed(Nodes(2), T1)
            .Started(Attempt(1, 2, First)).Ended(Attempt(1, 2, First), 0, T1);

        var state = firstAgain.ApplyAll(SchedulerDecisions.Rerun(firstAgain, Then, null, T1).Events).Placed(Nodes(2), T1);

        Assert.All(state.Job(Then)!.Shards, s => Assert.Equal(ShardStatus.Placed, s.Status));
    }
}
