using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Tests.Hosting;

/// <summary>Memory goes back to the board after a busy spell, once the agent is quiet, and not again until the next one.</summary>
public class IdleTrimPolicySpecs
{
    private const long Mi = 1L << 20;

    private static IdleTrimPolicy Policy() => new(burstBytes: 64 * Mi, quietBytes: 4 * Mi);

    [Fact]
    public void An_agent_must_trim_once_when_it_goes_quiet_after_starting()
    {
        var policy = Policy();

        Assert.False(policy.ShouldTrim(30 * Mi)); // still starting
        Assert.True(policy.ShouldTrim(1 * Mi));
        Assert.False(policy.ShouldTrim(1 * Mi));
    }

    [Fact]
    public void An_agent_must_not_trim_while_it_is_busy_however_much_it_allocates()
    {
        var policy = Policy();
        policy.ShouldTrim(0);

        for (var check = 0; check < 10; check++)
        {
            Assert.False(policy.ShouldTrim(50 * Mi));
        }

        Assert.True(policy.ShouldTrim(2 * Mi));
    }

    [Fact]
    public void An_idle_agent_must_trim_again_only_after_allocating_a_burst_since_the_last_trim()
    {
        var policy = Policy();
        policy.ShouldTrim(0);

        var trims = Enumerable.Range(0, 40).Count(_ => policy.ShouldTrim(3 * Mi)); // 120 MiB over 40 quiet checks

        Assert.Equal(1, trims); // at the 22nd check, when 64 MiB had been allocated since the start's trim
    }
}
