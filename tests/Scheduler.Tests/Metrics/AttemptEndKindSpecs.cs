using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Metrics;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>The reason label comes from the outcome the restart decision puts on its event, never from its words.</summary>
public class AttemptEndKindSpecs
{
    public static TheoryData<string, AttemptOutcome, string> Ends => new()
    {
        { "exit 3", AttemptOutcome.Exited, "exit" },
        { "exit 0 of a service", AttemptOutcome.Exited, "exit" },
        { "oom", AttemptOutcome.OomKilled, "oom" },
        { "start-failed", AttemptOutcome.StartFailed, "start-failed" },
        { "fenced", AttemptOutcome.Fenced, "fenced" },
    };

    [Theory]
    [MemberData(nameof(Ends))]
    public void A_retry_and_a_final_failure_after_the_same_end_carry_its_outcome(string end, AttemptOutcome outcome, string label)
    {
        var attemptEnd = end switch
        {
            "exit 3" => AttemptEnd.Exited(3, false),
            "exit 0 of a service" => AttemptEnd.Exited(0, false),
            "oom" => AttemptEnd.Exited(137, oomKilled: true),
            "start-failed" => AttemptEnd.FailedToStart("image my-processor:latest not found"),
            _ => AttemptEnd.Fenced("this node was cut off from the cluster's majority"),
        };
        var spec = Spec(type: Contracts.Jobs.JobType.Service, restart: OnFailure(1));

        var retry = Assert.IsType<ShardRetrying>(RestartDecision.AfterExit(spec, Attempt(1, 1), attemptEnd, T0, 0.5));
        var failed = Assert.IsType<ShardFailed>(RestartDecision.AfterExit(spec, Attempt(1, 2), attemptEnd, T0, 0.5));

        Assert.Equal((outcome, outcome), (retry.Outcome, failed.Outcome));
        Assert.Equal(label, AttemptEndKind.Of(outcome));
    }

    [Fact]
    public void Every_outcome_has_a_label_of_its_own()
    {
        var outcomes = Enum.GetValues<AttemptOutcome>();

        Assert.Equal(outcomes.Length, outcomes.Select(AttemptEndKind.Of).Distinct().Count());
    }
}
