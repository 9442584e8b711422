using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>A periodic job (schedule): each occurrence starts one run, a job of its own, and never a second one.</summary>
public sealed class PeriodicRunSpecs
{
    private static readonly JobSpec Proc = Spec(shards: 2);

    private static JobSpec EveryMinute(bool allowOverlap = false) => Proc with { Schedule = new JobSchedule("* * * * *", "UTC", allowOverlap) };

    private static JobRecord Periodic(SchedulerState state) => state.Job(JobId)!;

    private static List<JobRecord> Runs(SchedulerState state) => [.. state.Jobs.Values.Where(j => j.ToView().RunOf?.JobId == JobId)];

    [Fact]
    public void A_periodic_job_holds_no_shards_and_says_when_it_first_runs()
    {
        var state = Submitted(EveryMinute(), at: T0.AddSeconds(10));

        var job = Periodic(state);
        Assert.Empty(job.Shards);
        Assert.Equal(JobStatus.Scheduled, job.Status);
        Assert.False(job.IsFinished);
        Assert.Equal("next run at 2025-01-01 12:01:00 UTC", job.Reason);
        Assert.Empty(PeriodicRuns.Due(state, T0.AddSeconds(59)));
        Assert.Equal(T0.AddMinutes(1), PeriodicRuns.Next(state, T0.AddSeconds(10)));
    }

    [Fact]
    public void Its_occurrence_starts_one_run_with_the_jobs_spec_and_the_same_moment_again_starts_nothing()
    {
        var state = Submitted(EveryMinute(), at: T0.AddSeconds(10));

        state = state.ApplyAll(PeriodicRuns.Due(state, T0.AddMinutes(1).AddMilliseconds(3)));

        var run = Assert.Single(Runs(state));
        Assert.Equal(Proc, run.Spec);
        Assert.Equal(2, run.Shards.Length);
        Assert.Matches("^proc-[0-9a-f]{6}$", run.Id);
        Assert.Equal(JobStatus.Pending, run.Status);
        Assert.Equal((T0.AddMinutes(1), run.Id), (Periodic(state).LastRunAt, Periodic(state).LastRunId));
        Assert.Equal($"next run at 2025-01-01 12:02:00 UTC; latest run {run.Id}", Periodic(state).Reason);
        Assert.Empty(PeriodicRuns.Due(state, T0.AddMinutes(1).AddSeconds(30)));
        Assert.Equal(T0.AddMinutes(2), PeriodicRuns.Next(state, T0.AddMinutes(1).AddSeconds(30)));
    }

    [Fact]
    public void A_scheduler_that_took_over_knowing_the_run_but_not_the_jobs_latest_occurrence_starts_no_second_run()
    {
        var before = Submitted(EveryMinute());
        var fired = PeriodicRuns.Due(before, T0.AddMinutes(1));
        var accepted = fired.OfType<JobAccepted>().Single();
        // The run's record reached the replicas, the periodic job's update did not.
        var takenOver = before.Apply(accepted);

        var again = PeriodicRuns.Due(takenOver, T0.AddMinutes(1).AddSeconds(20));

        var ran = Assert.IsType<ScheduledRun>(Assert.Single(again));
        Assert.Equal((T0.AddMinutes(1), accepted.JobId), (ran.Occurrence, ran.RunId));
        Assert.Single(Runs(takenOver.ApplyAll(again)));
    }

    [Fact]
    public void The_same_occurrence_computed_by_two_schedulers_gets_the_same_run_id()
    {
        var state = Submitted(EveryMinute());

        var first = PeriodicRuns.Due(state, T0.AddMinutes(1)).OfType<JobAccepted>().Single();
        var second = PeriodicRuns.Due(state, T0.AddMinutes(1).AddSeconds(5)).OfType<JobAccepted>().Single();

        Assert.Equal((first.JobId, first.IdempotencyKey), (second.JobId, second.IdempotencyKey));
        Assert.Equal("periodic:proc-00000a@2025-01-01T12:01:00Z", first.IdempotencyKey);
        Assert.Equal(new PeriodicRunView(JobId, T0.AddMinutes(1)), state.Apply(first).Job(first.JobId)!.ToView().RunOf);
    }

    [Fact]
    public void Of_several_occurrences_missed_while_no_scheduler_ran_only_the_latest_runs()
    {
        var state = Submitted(EveryMinute());

        state = state.ApplyAll(PeriodicRuns.Due(state, T0.AddMinutes(5).AddSeconds(30)));

        Assert.Single(Runs(state));
        Assert.Equal(T0.AddMinutes(5), Periodic(state).LastRunAt);
    }

    [Fact]
    public void While_the_previous_run_still_runs_an_occurrence_is_skipped_saying_why_unless_overlap_is_allowed()
    {
        var state = Submitted(EveryMinute());
        state = state.ApplyAll(PeriodicRuns.Due(state, T0.AddMinutes(1)));
        var first = Periodic(state).LastRunId;

        var skipped = PeriodicRuns.Due(state, T0.AddMinutes(2));
        state = state.ApplyAll(skipped);

        var skip = Assert.IsType<ScheduledRun>(Assert.Single(skipped));
        Assert.Null(skip.RunId);
        Assert.Equal($"its previous run {first} still runs (allowOverlap: false)", skip.SkippedBecause);
        Assert.Equal((T0.AddMinutes(2), first), (Periodic(state).LastRunAt, Periodic(state).LastRunId));

        var overlapping = Submitted(EveryMinute(allowOverlap: true));
        overlapping = overlapping.ApplyAll(PeriodicRuns.Due(overlapping, T0.AddMinutes(1)));
        overlapping = overlapping.ApplyAll(PeriodicRuns.Due(overlapping, T0.AddMinutes(2)));
        Assert.Equal(2, Runs(overlapping).Count);
    }

    [Fact]
    public void Once_the_previous_run_finished_the_next_occurrence_starts_a_new_run()
    {
        var state = Submitted(EveryMinute());
        state = state.ApplyAll(PeriodicRuns.Due(state, T0.AddMinutes(1)));
        var first = Periodic(state).LastRunId!;
        state = state.ApplyAll(SchedulerDecisions.Stop(state, first, T0.AddSeconds(70)));

        state = state.ApplyAll(PeriodicRuns.Due(state, T0.AddMinutes(2)));

        Assert.Equal(2, Runs(state).Count);
        Assert.NotEqual(first, Periodic(state).LastRunId);
    }

    [Fact]
    public void A_stopped_periodic_job_starts_no_more_runs_and_may_be_removed_by_retention()
    {
        var state = Submitted(EveryMinute());
        state = state.ApplyAll(SchedulerDecisions.Stop(state, JobId, T0.AddSeconds(30)));

        Assert.Empty(PeriodicRuns.Due(state, T0.AddMinutes(3)));
        Assert.Null(PeriodicRuns.Next(state, T0.AddMinutes(3)));
        Assert.Equal(JobStatus.Stopped, Periodic(state).Status);
        Assert.True(Periodic(state).IsFinished);
    }

    [Fact]
    public void A_periodic_job_itself_cannot_be_rerun_the_refusal_says_to_rerun_one_of_its_runs()
    {
        var decision = SchedulerDecisions.Rerun(Submitted(EveryMinute()), JobId, null, T0.AddMinutes(5));

        Assert.Empty(decision.Events);
        Assert.Equal("job proc-00000a is periodic: it has no shards of its own; rerun one of its runs (`sched status proc-00000a` lists them)", decision.Reason);
    }
}
