using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>deadline: a job still running when it passes has its shards stopped, and fails saying why.</summary>
public sealed class DeadlineSpecs
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    /// <summary>Three shards running since T0; shard 1 already succeeded.</summary>
    private static SchedulerState Running()
    {
        var state = Submitted(Spec(shards: 3) with { Deadline = Deadline }).Placed(Nodes(2), T0);
        state = Enumerable.Range(1, 3).Aggregate(state, (s, shard) => s.Started(Attempt(shard, 1)));
        return state.Ended(Attempt(1, 1), 0, T0.AddMinutes(1));
    }

    [Fact]
    public void Before_its_deadline_a_job_runs_on_and_the_scheduler_knows_when_to_look_again()
    {
        var state = Running();

        Assert.Empty(SchedulerDecisions.PastDeadline(state, T0 + Deadline - TimeSpan.FromMilliseconds(1)));
        Assert.Equal(T0 + Deadline, SchedulerDecisions.NextDeadline(state));
    }

    [Fact]
    public void Past_its_deadline_the_shards_still_running_stop_and_the_job_fails_saying_the_deadline_passed()
    {
        var state = Running();

        state = state.ApplyAll(SchedulerDecisions.PastDeadline(state, T0 + Deadline));

        var job = state.Job(JobId)!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal([ShardStatus.Succeeded, ShardStatus.Stopped, ShardStatus.Stopped], job.Shards.Select(s => s.Status));
        Assert.Equal("shard 2 stopped: its deadline of 10m passed", job.Reason);
        Assert.Null(SchedulerDecisions.NextDeadline(state));
    }

    [Fact]
    public void A_finished_job_has_no_deadline_left()
    {
        var state = Running().Ended(Attempt(2, 1), 0, T0).Ended(Attempt(3, 1), 0, T0);

        Assert.Empty(SchedulerDecisions.PastDeadline(state, T0 + Deadline + Deadline));
    }

    [Fact]
    public void A_rerun_counts_its_deadline_from_the_rerun()
    {
        var stopped = Running().ApplyAll(SchedulerDecisions.PastDeadline(Running(), T0 + Deadline));
        var rerunAt = T0.AddHours(1);

        var state = stopped.ApplyAll(SchedulerDecisions.Rerun(stopped, JobId, null, rerunAt).Events);

        Assert.Equal(rerunAt + Deadline, SchedulerDecisions.NextDeadline(state));
        Assert.Empty(SchedulerDecisions.PastDeadline(state, rerunAt.AddMinutes(1)));
    }
}
