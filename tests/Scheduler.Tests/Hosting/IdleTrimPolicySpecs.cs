using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Tests.Hosting;

/// <summary>Memory goes back to the board once the agent is quiet after a burst of work, and only then.</summary>
public class IdleTrimPolicySpecs
{
    private const long Mi = 1L << 20;

    private static IdleTrimPolicy Policy() => new(burstBytes: 32 * Mi, quietBytes: 2 * Mi);

    /// <summary>An agent that has started and gone quiet once.</summary>
    private static IdleTrimPolicy Started()
    {
        var policy = Policy();
        policy.ShouldTrim(30 * Mi);
        policy.ShouldTrim(1 * Mi);
        return policy;
    }

    [Fact]
    public void An_agent_must_trim_once_at_the_first_quiet_check_after_a_burst()
    {
        var policy = Started();

        Assert.False(policy.ShouldTrim(30 * Mi));
        Assert.False(policy.ShouldTrim(40 * Mi));
        Assert.True(policy.ShouldTrim(1 * Mi));
        Assert.False(policy.ShouldTrim(1 * Mi));
    }

    [Fact]
    public void An_agent_must_not_trim_while_it_is_busy_however_much_it_allocates()
    {
        var policy = Started();

        Assert.All(Enumerable.Range(0, 10), _ => Assert.False(policy.ShouldTrim(50 * Mi)));
    }

    [Fact]
    public void An_idle_agent_must_never_trim_for_a_quiet_trickle_however_long()
    {
        var policy = Started();

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.False(policy.ShouldTrim(2 * Mi)));
    }

    [Fact]
    public void Starting_must_not_count_as_a_burst_however_much_it_allocates()
    {
        var policy = Policy();

        Assert.False(policy.ShouldTrim(40 * Mi));
        Assert.False(policy.ShouldTrim(40 * Mi));
        Assert.False(policy.ShouldTrim(1 * Mi));
    }

    [Fact]
    public void Short_spells_with_quiet_between_must_not_add_up_to_a_burst()
    {
        var policy = Started();

        Assert.False(policy.ShouldTrim(20 * Mi));
        Assert.False(policy.ShouldTrim(0));
        Assert.False(policy.ShouldTrim(20 * Mi));
        Assert.False(policy.ShouldTrim(0));
    }
}
