using Sched.NodeActor.Agent;

namespace Sched.NodeActor.Tests.Agent;

public sealed class RepeatGateSpecs
{
    private static readonly DateTime Start = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_first_of_a_key_passes_repeats_within_the_quiet_period_are_held_and_counted_in_the_next_that_passes()
    {
        var gate = new RepeatGate<string>(TimeSpan.FromMinutes(1));

        Assert.True(gate.Pass("a", Start, out var first));
        Assert.False(gate.Pass("a", Start.AddSeconds(1), out _));
        Assert.False(gate.Pass("a", Start.AddSeconds(59), out _));
        Assert.True(gate.Pass("b", Start.AddSeconds(2), out var other));
        Assert.True(gate.Pass("a", Start.AddMinutes(1), out var later));

        Assert.Equal((1, 1, 3), (first, other, later));
    }
}
