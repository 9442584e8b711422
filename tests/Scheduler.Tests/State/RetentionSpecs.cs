using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

public sealed class RetentionSpecs
{
    private static readonly RetentionPolicy Policy = new(TimeSpan.FromHours(24), 1000);

    /// <summary>A one-shard batch job submitted at <paramref name="at"/>, run on node1 and ended with the exit code at <paramref name="endedAt"/>.</summary>
    private static SchedulerState Finished(SchedulerState state, string jobId, DateTimeOffset at, DateTimeOffset endedAt, long exitCode = 0)
    {
        var running = state.ApplyAll(SchedulerDecisions.Accept(jobId, Spec(shards: 1, restart: OnFailure(0)), at))
            .Placed(Nodes(1), at).Started(Attempt(1, 1, jobId));
        return running.ApplyAll(SchedulerDecisions.Ended(running, Attempt(1, 1, jobId), AttemptEnd.Exited(exitCode, false), endedAt, 0.5));
    }

    [Fact]
    public void A_job_must_remember_when_its_last_shard_finished_not_when_it_was_submitted()
    {
        var state = Finished(SchedulerState.Empty, "a-000001", T0, T0.AddHours(5));

        Assert.Equal(T0.AddHours(5), state.Job("a-000001")!.FinishedAt);
    }

    [Fact]
    public void A_finished_job_must_stay_until_the_age_limit_after_it_finished_and_then_be_removed()
    {
        var state = Finished(SchedulerState.Empty, "a-000001", T0, T0.AddHours(5));

        Assert.Empty(Retention.Expired(state, Policy, T0.AddHours(28)));
        var removed = Assert.Single(Retention.Expired(state, Policy, T0.AddHours(29)));
        Assert.Equal("a-000001", Assert.IsType<JobRemoved>(removed).JobId);
        Assert.Empty(state.Apply(removed).Jobs);
    }

    [Fact]
    public void A_failed_job_and_a_stopped_job_must_be_removed_like_a_complete_one()
    {
        var failed = Finished(SchedulerState.Empty, "f-000001", T0, T0, exitCode: 1);
        var both = failed.ApplyAll(SchedulerDecisions.Accept("s-000001", Spec(shards: 2), T0));
        both = both.ApplyAll(SchedulerDecisions.Stop(both, "s-000001", T0));

        var removed = Retention.Expired(both, Policy, T0.AddHours(24)).Select(SchedulerState.JobOf).Order();

        Assert.Equal(["f-000001", "s-000001"], removed);
    }

    [Fact]
    public void A_running_or_pending_job_must_never_be_removed_however_old()
    {
        var state = Submitted(Spec(shards: 2)).Placed(Nodes(1), T0).Started(Attempt(1, 1));
        state = state.ApplyAll(SchedulerDecisions.Accept("p-000001", Spec(shards: 1), T0));

        Assert.Empty(Retention.Expired(state, Policy with { MaxFinished = 0 }, T0.AddDays(365)));
    }

    [Fact]
    public void Beyond_the_count_limit_the_jobs_that_finished_first_must_go_first()
    {
        var state = SchedulerState.Empty;
        foreach (var (id, endedMinutes) in new[] { ("c-000003", 30), ("a-000001", 10), ("b-000002", 20), ("d-000004", 40) })
        {
            state = Finished(state, id, T0, T0.AddMinutes(endedMinutes));
        }

        var removed = Retention.Expired(state, Policy with { MaxFinished = 2 }, T0.AddHours(1)).Select(SchedulerState.JobOf);

        Assert.Equal(["a-000001", "b-000002"], removed);
    }

    [Fact]
    public void Removing_a_job_that_still_runs_must_be_refused()
    {
        var state = Submitted(Spec(shards: 1)).Placed(Nodes(1), T0).Started(Attempt(1, 1));

        Assert.Throws<InvalidOperationException>(() => state.Apply(new JobRemoved(JobId, "test")));
    }

    [Fact]
    public void A_job_recovered_from_a_state_file_that_kept_no_finish_time_must_count_its_age_from_its_submission()
    {
        var finished = Finished(SchedulerState.Empty, "a-000001", T0, T0.AddHours(5)).Job("a-000001")! with { FinishedAt = null };

        var removed = Retention.Expired(SchedulerState.Of([finished]), Policy, T0.AddHours(24));

        Assert.Single(removed);
    }

    [Theory]
    [InlineData(5, 1_250)]
    [InlineData(3_600, 60_000)]
    [InlineData(86_400, 60_000)]
    [InlineData(2, 1_000)]
    public void The_sweep_must_look_often_enough_for_a_short_age_and_at_most_once_a_minute(int ageSeconds, int sweepMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(sweepMilliseconds), (Policy with { MaxAge = TimeSpan.FromSeconds(ageSeconds) }).SweepInterval);
}
