using Sched.Scheduler.Guard;

namespace Sched.Scheduler.Tests.Guard;

public sealed class LeaseCheckSpecs
{
    private static readonly DateTime Now = new(2026, 12, 2, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void No_lease_file_means_no_agent_vouches_for_the_containers_stop_them() =>
        Assert.Null(LeaseCheck.SleepBeforeNextLook(null, Now));

    [Theory]
    [InlineData(-5000)]
    [InlineData(0)]
    public void A_lease_that_ran_out_now_or_before_means_stop_them(int msFromNow) =>
        Assert.Null(LeaseCheck.SleepBeforeNextLook(Now.AddMilliseconds(msFromNow), Now));

    [Fact]
    public void A_lease_about_to_run_out_is_looked_at_again_the_moment_it_does() =>
        Assert.Equal(TimeSpan.FromMilliseconds(100), LeaseCheck.SleepBeforeNextLook(Now.AddMilliseconds(100), Now));

    /// <summary>A held lease (30 s for a restart) may be cut short by the next agent's renewals: look again soon.</summary>
    [Fact]
    public void A_lease_far_ahead_is_still_looked_at_every_quarter_second() =>
        Assert.Equal(LeaseCheck.LookEvery, LeaseCheck.SleepBeforeNextLook(Now.AddSeconds(30), Now));
}
