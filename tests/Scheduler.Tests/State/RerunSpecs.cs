using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>sched rerun: shards of a finished job run again as new attempts of it, their earlier attempts kept.</summary>
public sealed class RerunSpecs
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    /// <summary>A 4-shard job with no restarts whose shards 2 and 4 exited 1: it failed.</summary>
    private static SchedulerState FailedRun()
    {
        var state = Submitted(Spec(shards: 4, restart: OnFailure(0))).Placed(Nodes(2), T0);
        state = Enumerable.Range(1, 4).Aggregate(state, (s, shard) => s.Started(Attempt(shard, 1)));
        return Enumerable.Range(1, 4).Aggregate(state, (s, shard) => s.Ended(Attempt(shard, 1), shard % 2 == 0 ? 1 : 0, T0.AddSeconds(shard)));
    }

    private static SchedulerState Rerun(SchedulerState state, params int[]? shards) =>
        state.ApplyAll(SchedulerDecisions.Rerun(state, JobId, shards is null ? null : [.. shards], T1).Events);

    [Fact]
    public void Without_shards_named_only_the_shards_that_did_not_succeed_run_again_and_the_job_runs()
    {
        var state = Rerun(FailedRun(), null);

        Assert.Equal(JobStatus.Running, state.Job(JobId)!.Status);
        Assert.Equal([ShardStatus.Succeeded, ShardStatus.Pending, ShardStatus.Succeeded, ShardStatus.Pending], state.Job(JobId)!.Shards.Select(s => s.Status));
        Assert.Null(state.Job(JobId)!.FinishedAt);
        Assert.Null(state.Shard(2).Reason);
    }

    [Fact]
    public void A_rerun_shard_is_placed_as_its_next_attempt_and_keeps_the_first_in_its_history()
    {
        var state = Rerun(FailedRun(), null).Placed(Nodes(2), T1);

        var shard = state.Shard(2);
        Assert.Equal((ShardStatus.Placed, 2, 1), (shard.Status, shard.Attempt, shard.RerunAfter));
        var first = Assert.Single(shard.History!);
        Assert.Equal((1, AttemptOutcome.Exited, 1L, T0.AddSeconds(2)), (first.Attempt, first.Outcome, first.ExitCode, first.EndedAt));
        Assert.Equal(shard.LastNode, first.Node);
    }

    [Fact]
    public void The_restart_policy_counts_from_the_rerun_so_a_job_without_restarts_gets_exactly_one_new_attempt()
    {
        var state = Rerun(FailedRun(), null).Placed(Nodes(2), T1).Started(Attempt(2, 2)).Ended(Attempt(2, 2), 1, T1.AddSeconds(1));

        Assert.Equal(ShardStatus.Failed, state.Shard(2).Status);
        Assert.Equal("exit code 1 after 1 attempt of its rerun", state.Shard(2).Reason);
        Assert.Equal([1, 2], state.Shard(2).History!.Select(a => a.Attempt));
    }

    [Fact]
    public void When_every_rerun_shard_succeeds_the_job_is_complete()
    {
        var state = Rerun(FailedRun(), null).Placed(Nodes(2), T1).Started(Attempt(2, 2)).Started(Attempt(4, 2))
            .Ended(Attempt(2, 2), 0, T1).Ended(Attempt(4, 2), 0, T1);

        Assert.Equal(JobStatus.Complete, state.Job(JobId)!.Status);
    }

    [Fact]
    public void Named_shards_run_again_even_when_they_succeeded_and_the_others_stay_as_they_ended()
    {
        var state = Rerun(FailedRun(), 3);

        Assert.Equal([ShardStatus.Succeeded, ShardStatus.Failed, ShardStatus.Pending, ShardStatus.Failed], state.Job(JobId)!.Shards.Select(s => s.Status));
    }

    [Fact]
    public void A_stopped_job_runs_again_and_is_no_longer_stopped()
    {
        var running = Submitted(Spec(shards: 2)).Placed(Nodes(2), T0).Started(Attempt(1, 1));
        var stopped = running.ApplyAll(SchedulerDecisions.Stop(running, JobId, T0.AddSeconds(3)));

        var state = Rerun(stopped, null);

        Assert.False(state.Job(JobId)!.Stopped);
        Assert.Equal([ShardStatus.Pending, ShardStatus.Pending], state.Job(JobId)!.Shards.Select(s => s.Status));
        Assert.Equal("job stopped", Assert.Single(state.Shard(1).History!).Reason);
    }

    [Fact]
    public void A_job_that_still_runs_is_refused_saying_how_to_end_it()
    {
        var running = Submitted(Spec(shards: 2)).Placed(Nodes(2), T0);

        var decision = SchedulerDecisions.Rerun(running, JobId, null, T1);

        Assert.Equal(RerunRefusal.StillRunning, decision.Refusal);
        Assert.Empty(decision.Events);
        Assert.Contains($"sched stop {JobId}", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_the_job_does_not_have_is_refused_naming_it_and_the_range()
    {
        var decision = SchedulerDecisions.Rerun(FailedRun(), JobId, [2, 9, 0], T1);

        Assert.Equal(RerunRefusal.NoSuchShard, decision.Refusal);
        Assert.Equal($"job {JobId} has shards 1 to 4; there is no shard 9, 0", decision.Reason);
    }

    [Fact]
    public void A_job_whose_every_shard_succeeded_is_refused_unless_shards_are_named()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(1), T0).Started(Attempt(1, 1)).Ended(Attempt(1, 1), 0, T0);

        var decision = SchedulerDecisions.Rerun(state, JobId, null, T1);

        Assert.Equal(RerunRefusal.NothingFailed, decision.Refusal);
        Assert.Contains("--shards", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_job_is_neither_rerun_nor_refused()
    {
        Assert.Same(RerunDecision.NoSuchJob, SchedulerDecisions.Rerun(SchedulerState.Empty, "nope", null, T1));
    }

    [Fact]
    public void A_shard_keeps_only_its_latest_attempts_in_its_history()
    {
        var shard = Enumerable.Range(1, ShardRecord.MaxHistory + 5)
            .Aggregate(ShardRecord.New(1), (s, n) => s.WithEnded(new AttemptRecord(n, "node1", AttemptOutcome.Exited, 1, "exit code 1", T0)));

        Assert.Equal(Enumerable.Range(6, ShardRecord.MaxHistory), shard.History!.Select(a => a.Attempt));
    }
}
