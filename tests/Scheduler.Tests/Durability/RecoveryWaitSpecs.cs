using Sched.Scheduler.Decisions.Durability;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Durability;

/// <summary>A starting scheduler waits for a majority, warns about a long wait now and then, and reads once.</summary>
public class RecoveryWaitSpecs
{
    [Fact]
    public void A_short_wait_for_a_majority_is_not_worth_a_warning_and_a_long_one_is_warned_about_every_ten_seconds()
    {
        var wait = RecoveryWait.StartedAt(T0);

        var steps = new List<RecoveryStep>();
        foreach (var seconds in new[] { 1, 3, 4, 12, 13 })
        {
            (wait, var step) = wait.Heard(hasQuorum: false, needsOthers: false, T0.AddSeconds(seconds));
            steps.Add(step);
        }

        Assert.Equal([RecoveryStep.Wait, RecoveryStep.WarnAndWait, RecoveryStep.Wait, RecoveryStep.Wait, RecoveryStep.WarnAndWait], steps);
    }

    [Fact]
    public void Once_a_majority_is_up_the_jobs_are_read_once_after_the_replicator_caught_up_if_others_are_needed()
    {
        var (found, step) = RecoveryWait.StartedAt(T0).Heard(hasQuorum: true, needsOthers: true, T0);
        var (_, again) = found.Heard(hasQuorum: true, needsOthers: false, T0.AddSeconds(1));

        Assert.Equal((RecoveryStep.ReadAfterCatchUp, RecoveryStep.Ignore), (step, again));
        Assert.Equal(RecoveryStep.ReadNow, RecoveryWait.StartedAt(T0).Heard(hasQuorum: true, needsOthers: false, T0).Step);
    }
}
