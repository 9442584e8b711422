using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.Tests.Fakes;
using Serilog;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Agent;

/// <summary>
/// A fenced agent: it takes no work until it has rejoined and reconciled, a fence the engine refuses is retried
/// until it succeeds, and the node guard's lease is renewed only while the agent vouches for its containers.
/// </summary>
public sealed class NodeAgentFencingSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeRuntime _runtime = new() { Hold = true };
    private readonly string _dir = Directory.CreateTempSubdirectory("sched-lease-").FullName;
    private int _fenceFailures;

    private FenceLease Lease => FenceLease.InDataDir(_dir);

    [Fact]
    public async Task A_fenced_agent_refuses_shards_and_offers_no_room_until_it_has_rejoined_and_reconciled()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler);
        await Reconcile(scheduler);

        agent.Tell(new Fence("cut off from the cluster majority for 1.5s"), TestActor);
        var fenced = await NextRegistration(scheduler);
        await ExpectMsgAsync<Fenced>(Patience);
        agent.Tell(Run(new ShardAttemptId("job-1", 1, 1)), scheduler.Ref);
        var refused = (ShardStartFailed)await scheduler.FishForMessageAsync(m => m is ShardStartFailed, Patience);

        Assert.False(fenced.Healthy);
        Assert.Contains("fenced", fenced.HealthReason, StringComparison.Ordinal);
        Assert.Contains("fenced", refused.Reason, StringComparison.Ordinal);
        Assert.Empty(_runtime.Containers);

        // Fenced with its containers stopped and a majority in reach: it reports its containers again, and takes
        // work once the scheduler's verdict has come.
        agent.Tell(new NodeRegistered("node1", WantsContainers: false), scheduler.Ref);
        await scheduler.FishForMessageAsync(m => m is NodeContainers, Patience);
        agent.Tell(new ReconcileVerdict([], []), scheduler.Ref);
        await HealthyRegistration(scheduler);
        agent.Tell(Run(new ShardAttemptId("job-1", 1, 2)), scheduler.Ref);

        await AwaitAssertAsync(() => Assert.Single(_runtime.Containers), Patience);
    }

    [Fact]
    public async Task A_restarted_agent_reconciles_and_renews_the_lease_before_podman_has_told_it_the_nodes_capacity()
    {
        var info = new TaskCompletionSource();
        _runtime.InfoAnswersAfter = info.Task;
        var scheduler = CreateTestProbe();
        Agent(scheduler);

        var first = await NextRegistration(scheduler);
        scheduler.Reply(new NodeRegistered("node1", WantsContainers: true));
        await scheduler.FishForMessageAsync(m => m is NodeContainers, Patience);
        scheduler.Reply(new ReconcileVerdict([], []));
        await AwaitAssertAsync(() => Assert.False(Lease.HasRunOut(DateTime.UtcNow)), Patience);
        info.SetResult();
        var healthy = await HealthyRegistration(scheduler);

        Assert.False(first.Healthy);
        Assert.Equal(0, first.Total.MilliCpus);
        Assert.Equal(4000, healthy.Total.MilliCpus);
    }

    [Fact]
    public async Task A_fence_the_engine_refuses_is_retried_until_the_containers_are_stopped()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler);
        await Reconcile(scheduler);
        var running = _runtime.AddForeign("sched-job-1-1-1", Labels(new ShardAttemptId("job-1", 1, 1)));
        _runtime.Down = new InvalidOperationException("podman socket does not answer");

        agent.Tell(new Fence("this node was downed by the cluster"), TestActor);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _fenceFailures) >= 2), Patience);
        Assert.False(running.Exit.Task.IsCompleted, "the container stopped while the engine was down");
        _runtime.Down = null;
        var fenced = await ExpectMsgAsync<Fenced>(Patience);

        Assert.Equal(1, fenced.Containers);
        Assert.True(running.Exit.Task.IsCompleted, "the running container was not stopped");
    }

    [Fact]
    public async Task The_lease_is_renewed_only_after_the_agent_has_reconciled_and_runs_out_once_it_is_fenced()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler);
        await NextRegistration(scheduler);
        Assert.Null(Lease.ExpiresAt());

        await Reconcile(scheduler);
        await AwaitAssertAsync(() => Assert.False(Lease.HasRunOut(DateTime.UtcNow)), Patience);
        agent.Tell(MajorityLost.Instance);

        await AwaitAssertAsync(() => Assert.True(Lease.HasRunOut(DateTime.UtcNow)), Patience);
    }

    [Fact]
    public async Task Leaving_gracefully_holds_the_lease_for_the_next_agent_and_renews_it_no_more()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler);
        await Reconcile(scheduler);
        await AwaitAssertAsync(() => Assert.NotNull(Lease.ExpiresAt()), Patience);

        var held = await agent.Ask<LeaseHeld>(new HoldLease(TimeSpan.FromSeconds(30)), Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.NotNull(held.Until);
        Assert.Equal(held.Until!.Value, Lease.ExpiresAt()!.Value, TimeSpan.FromMilliseconds(10));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private IActorRef Agent(TestProbe scheduler) =>
        Sys.ActorOf(NodeAgent.Props(_runtime, scheduler, AgentOptions.For("node1") with
        {
            Lease = Lease,
            LeaseHold = TimeSpan.FromMilliseconds(500),
            FenceAttempted = succeeded =>
            {
                if (!succeeded)
                {
                    Interlocked.Increment(ref _fenceFailures);
                }
            },
        }, Silent, LocalCommandSenders.Instance));

    /// <summary>The agent's first contact: it offers no room until the scheduler's verdict on its containers has come.</summary>
    private async Task Reconcile(TestProbe scheduler)
    {
        var first = await NextRegistration(scheduler);
        Assert.False(first.Healthy);
        scheduler.Reply(new NodeRegistered("node1", WantsContainers: true));
        await scheduler.FishForMessageAsync(m => m is NodeContainers, Patience);
        scheduler.Reply(new ReconcileVerdict([], []));
        await HealthyRegistration(scheduler);
    }

    /// <summary>Registrations sent before the verdict may still be on their way; the agent offers room once it has it.</summary>
    private static async Task<RegisterNode> HealthyRegistration(TestProbe scheduler) =>
        (RegisterNode)await scheduler.FishForMessageAsync(m => m is RegisterNode { Healthy: true }, Patience);

    private static async Task<RegisterNode> NextRegistration(TestProbe scheduler) =>
        (RegisterNode)await scheduler.FishForMessageAsync(m => m is RegisterNode, Patience);

    private static RunShard Run(ShardAttemptId id) => new(
        id, "busybox", [], ImmutableSortedDictionary<string, string>.Empty,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Labels(id)), 64L * 1024 * 1024, 250);

    private static Dictionary<string, string> Labels(ShardAttemptId id) => new()
    {
        [ContainerLabels.Managed] = "true",
        [ContainerLabels.Job] = id.JobId,
        [ContainerLabels.Shard] = $"{id.Shard}",
        [ContainerLabels.Attempt] = $"{id.Attempt}",
    };
}
