using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Metrics;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>The reason label is read from the reason text the restart decision writes: the two must stay in step.</summary>
public class AttemptEndKindSpecs
{
    public static TheoryData<string, string> Ends => new()
    {
        { "exit 3", AttemptEndKind.Exit },
        { "exit 0 of a service", AttemptEndKind.Exit },
        { "oom", AttemptEndKind.Oom },
        { "start-failed", AttemptEndKind.StartFailed },
        { "fenced", AttemptEndKind.Fenced },
    };

    [Theory]
    [MemberData(nameof(Ends))]
    public void A_retry_and_a_final_failure_after_the_same_end_have_the_same_kind(string end, string kind)
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

        Assert.Equal((kind, kind), (AttemptEndKind.Of(retry.Reason), AttemptEndKind.Of(failed.Reason)));
    }
}
