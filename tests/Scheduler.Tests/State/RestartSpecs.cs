using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>What follows a failed attempt: a retry after a growing backoff, or the shard fails with a reason.</summary>
public class RestartSpecs
{
    private static ISchedulerEvent After(JobSpec spec, int attempt, AttemptEnd end, double jitter = 0.5) =>
        RestartDecision.AfterExit(spec, Attempt(1, attempt), end, T0, jitter);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Exit_3_on_failure_2_must_retry_after_backoff_then_2x_backoff_then_fail_after_3_attempts(double jitter)
    {
        var spec = Spec(restart: OnFailure(2));
        var exit3 = AttemptEnd.Exited(3, false);

        var first = Assert.IsType<ShardRetrying>(After(spec, 1, exit3, jitter));
        var second = Assert.IsType<ShardRetrying>(After(spec, 2, exit3, jitter));
        var third = Assert.IsType<ShardFailed>(After(spec, 3, exit3, jitter));

        AssertAbout(Backoff, first.RetryAt - T0);
        AssertAbout(2 * Backoff, second.RetryAt - T0);
        Assert.Equal("exit code 3", first.Reason);
        Assert.Equal(3, third.ExitCode);
        Assert.Equal("exit code 3 after 3 attempts", third.Reason);
    }

    [Fact]
    public void The_same_run_through_the_state_must_end_with_the_job_failed_and_saying_why()
    {
        var state = Submitted(Spec(shards: 1, restart: OnFailure(2)));
        var now = T0;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            state = state.Placed(Nodes(3), now).Started(Attempt(1, attempt)).Ended(Attempt(1, attempt), 3, now);
            now = state.Shard(1).RetryAt ?? now;
        }

        var job = state.Job(JobId)!;
        Assert.Equal((ShardStatus.Failed, 3), (job.Shard(1).Status, job.Shard(1).Attempt));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("shard 1 failed: exit code 3 after 3 attempts", job.Reason);
    }

    [Theory]
    [InlineData(3, 0.0)]
    [InlineData(5, 0.5)]
    [InlineData(30, 0.999)]
    public void Backoff_must_stop_growing_at_MaxBackoff_within_jitter(int restarts, double jitter)
    {
        var delay = RestartDecision.Delay(TimeSpan.FromSeconds(10), restarts, jitter);

        AssertAbout(RestartDecision.MaxBackoff, delay);
    }

    [Fact]
    public void A_configured_backoff_above_MaxBackoff_must_be_kept_not_cut()
    {
        var backoff = RestartDecision.MaxBackoff * 3;

        Assert.Equal(backoff, RestartDecision.Delay(backoff, 4, 0.5));
    }

    [Fact]
    public void Jitter_must_stay_within_10_percent_either_way()
    {
        var backoff = TimeSpan.FromSeconds(10);

        Assert.Equal(TimeSpan.FromSeconds(9), RestartDecision.Delay(backoff, 0, 0.0));
        Assert.Equal(backoff, RestartDecision.Delay(backoff, 0, 0.5));
        Assert.InRange(RestartDecision.Delay(backoff, 0, 0.9999), TimeSpan.FromSeconds(10.99), TimeSpan.FromSeconds(11));
    }

    [Fact]
    public void Restart_never_must_fail_after_1_attempt()
    {
        var spec = Spec(restart: new RestartPolicy(RestartMode.Never, 5, Backoff));

        var failed = Assert.IsType<ShardFailed>(After(spec, 1, AttemptEnd.Exited(3, false)));

        Assert.Equal("exit code 3 after 1 attempt", failed.Reason);
    }

    [Fact]
    public void Oom_kill_must_say_oom_killed_and_name_the_memory_limit()
    {
        var spec = Spec(memory: 256 * Mi, restart: OnFailure(1));
        var oom = AttemptEnd.Exited(137, true);

        var retrying = Assert.IsType<ShardRetrying>(After(spec, 1, oom));
        var failed = Assert.IsType<ShardFailed>(After(spec, 2, oom));

        Assert.StartsWith("oom-killed", retrying.Reason);
        Assert.Contains("256Mi", retrying.Reason);
        Assert.StartsWith("oom-killed", failed.Reason);
        Assert.Contains("256Mi", failed.Reason);
        Assert.EndsWith("after 2 attempts", failed.Reason);
    }

    [Fact]
    public void A_start_failure_must_say_start_failed_and_why()
    {
        var spec = Spec(restart: new RestartPolicy(RestartMode.Never, 0, Backoff));

        var failed = Assert.IsType<ShardFailed>(After(spec, 1, AttemptEnd.FailedToStart("image proc:latest not found")));

        Assert.StartsWith("start-failed: image proc:latest not found", failed.Reason);
        Assert.Null(failed.ExitCode);
    }

    [Fact]
    public void A_service_with_restart_always_must_be_restarted_past_any_attempt_count()
    {
        var spec = Spec(type: JobType.Service, restart: new RestartPolicy(RestartMode.Always, 1, Backoff));

        var afterExit0 = Assert.IsType<ShardRetrying>(After(spec, 10, AttemptEnd.Exited(0, false)));

        Assert.Contains("exited with code 0", afterExit0.Reason);
    }

    private static void AssertAbout(TimeSpan expected, TimeSpan actual) =>
        Assert.InRange(actual, expected * 0.9, expected * 1.1);

    [Fact]
    public void An_exit_code_in_fail_on_fails_the_shard_at_the_first_attempt_and_others_still_retry()
    {
        var spec = Spec(restart: OnFailure(3) with { FailOn = [2, 64] });

        var failed = Assert.IsType<ShardFailed>(After(spec, 1, AttemptEnd.Exited(2, false)));
        var retried = Assert.IsType<ShardRetrying>(After(spec, 1, AttemptEnd.Exited(3, false)));

        Assert.Equal("exit code 2 (restart.failOn) after 1 attempt", failed.Reason);
        Assert.Equal(2, failed.ExitCode);
        Assert.Equal("exit code 3", retried.Reason);
    }

    [Fact]
    public void Fail_on_holds_for_a_service_that_is_otherwise_always_restarted()
    {
        var spec = Spec(type: JobType.Service, restart: new RestartPolicy(RestartMode.Always, 0, Backoff, [64]));

        Assert.IsType<ShardFailed>(After(spec, 5, AttemptEnd.Exited(64, false)));
        Assert.IsType<ShardRetrying>(After(spec, 5, AttemptEnd.Exited(1, false)));
    }

    [Fact]
    public void A_start_failure_no_attempt_can_mend_fails_the_shard_at_once_and_a_passing_one_is_retried()
    {
        var spec = Spec(restart: OnFailure(3));

        var failed = Assert.IsType<ShardFailed>(After(spec, 1, AttemptEnd.FailedToStart("command \"nosuch\" not found in image localhost/probe:1", permanent: true)));
        Assert.IsType<ShardRetrying>(After(spec, 1, AttemptEnd.FailedToStart("creating container x failed: engine busy")));

        Assert.Equal("start-failed: command \"nosuch\" not found in image localhost/probe:1 after 1 attempt", failed.Reason);
    }

    [Fact]
    public void An_attempt_stopped_at_its_timeout_fails_as_timed_out_and_is_retried_by_the_restart_policy()
    {
        var spec = Spec(restart: OnFailure(1)) with { Timeout = TimeSpan.FromSeconds(3) };

        var retried = Assert.IsType<ShardRetrying>(After(spec, 1, AttemptEnd.Exited(143, false, timedOut: true)));
        var failed = Assert.IsType<ShardFailed>(After(spec, 2, AttemptEnd.Exited(137, true, timedOut: true)));

        Assert.Equal(("timed-out after 3s", AttemptOutcome.TimedOut), (retried.Reason, retried.Outcome));
        Assert.Equal("timed-out after 3s after 2 attempts", failed.Reason);
    }
}
