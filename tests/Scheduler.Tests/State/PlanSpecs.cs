using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>A plan is the placement round a submission would get, with nothing kept.</summary>
public sealed class PlanSpecs
{
    [Fact]
    public void A_plan_places_what_fits_says_why_the_rest_would_wait_and_leaves_the_state_as_it_was()
    {
        var state = Submitted(Spec(shards: 1, memory: 1 * Gi));

        var plan = SchedulerDecisions.Plan(state, "plan-000001", Spec(shards: 3, memory: 2 * Gi), Nodes(2, memory: 3 * Gi), T0);

        Assert.Equal([ShardStatus.Placed, ShardStatus.Placed, ShardStatus.Pending], plan.Shards.Select(s => s.Status));
        Assert.Contains("memory", plan.Shard(3).Reason, StringComparison.Ordinal);
        Assert.Null(state.Job("plan-000001"));
        Assert.Equal(ShardStatus.Pending, state.Shard(1).Status);
    }

    [Fact]
    public void The_plan_gives_a_shard_that_fits_nowhere_the_reason_the_submission_gets()
    {
        var spec = Spec(shards: 1, memory: 64 * Gi);

        var plan = SchedulerDecisions.Plan(SchedulerState.Empty, "big-000001", spec, Nodes(3), T0);
        var submitted = Submitted(spec, "big-000001").Placed(Nodes(3), T0);

        Assert.Equal(submitted.Shard(1, "big-000001").Reason, plan.Shard(1).Reason);
        Assert.NotNull(plan.Shard(1).Reason);
    }
}
