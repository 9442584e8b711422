using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Sched.Contracts;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.Tests.Fakes;
using Serilog;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Agent;

/// <summary>What a node agent does with commands, whoever sends them: nothing unlimited, nothing not its own.</summary>
public sealed class NodeAgentCommandSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private static readonly ShardAttemptId Attempt = new("job-1", 2, 1);
    private readonly FakeRuntime _runtime = new() { Hold = true };

    [Theory]
    [InlineData(0L, 250, "memory limit")]
    [InlineData(64L * 1024 * 1024, 0, "CPU limit")]
    public async Task A_run_without_a_memory_or_cpu_limit_is_refused_and_reported_as_a_failed_start(long memory, int milliCpus, string named)
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler, LocalCommandSenders.Instance);

        agent.Tell(Run() with { MemoryBytes = memory, MilliCpus = milliCpus });

        var failed = await FishForMessageAsync<ShardStartFailed>(scheduler, Attempt);
        Assert.Contains(named, failed.Reason, StringComparison.Ordinal);
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    public async Task A_node_whose_podman_cannot_enforce_limits_reports_itself_unhealthy_with_the_reason()
    {
        var scheduler = CreateTestProbe();
        _runtime.Info = _runtime.Info with { LimitsUnenforceable = "rootless podman on cgroup v1 cannot enforce memory or CPU limits" };
        Agent(scheduler, LocalCommandSenders.Instance);
        await scheduler.FishForMessageAsync(m => m is RegisterNode, TimeSpan.FromSeconds(10));
        scheduler.Reply(new NodeRegistered("node1", WantsContainers: true));
        await scheduler.FishForMessageAsync(m => m is NodeContainers, TimeSpan.FromSeconds(10));
        scheduler.Reply(new ReconcileVerdict([], []));

        var report = (RegisterNode)await scheduler.FishForMessageAsync(
            m => m is RegisterNode { HealthReason: { } reason } && reason.StartsWith("rootless", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.False(report.Healthy);
    }

    /// <summary>Defence in depth: a RunShard made by hand, past the API's check, still mounts nothing outside the roots.</summary>
    [Fact]
    public async Task A_hand_made_run_that_mounts_a_host_path_outside_the_allowed_roots_is_refused_and_creates_nothing()
    {
        var scheduler = CreateTestProbe();
        var options = AgentOptions.For("node1") with { AllowedHostPaths = ["/data"] };
        var agent = Sys.ActorOf(NodeAgent.Props(_runtime, scheduler, options, Silent, LocalCommandSenders.Instance));
        var etc = ContainerOptions.None with { Volumes = [new VolumeMount("/etc", "/x", false)] };

        agent.Tell(Run() with { Container = etc });

        var failed = await FishForMessageAsync<ShardStartFailed>(scheduler, Attempt);
        Assert.Contains("/etc", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("/data", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    public async Task Commands_from_a_sender_that_is_not_the_scheduler_start_stop_and_remove_nothing()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler, new RefuseEveryone());
        var foreignManaged = _runtime.AddForeign("sched-job-1-1-1", Labels(new ShardAttemptId("job-1", 1, 1)));

        agent.Tell(Run());
        agent.Tell(new StopShard(new ShardAttemptId("job-1", 1, 1)));
        agent.Tell(new RemoveJobContainers("job-1"));
        agent.Tell(new ReconcileVerdict([], [new ContainerReport(new ShardAttemptId("job-1", 1, 1), foreignManaged.Id, true, null, false)]));

        // Identify is answered in mailbox order: every command above has been handled when it returns.
        await agent.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(3));
        Assert.Equal([foreignManaged.Id], _runtime.Containers.Select(c => c.Id));
        Assert.True(foreignManaged.Running);
    }

    [Fact]
    public async Task A_verdict_never_removes_a_container_that_is_not_managed_or_carries_another_attempt()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler, LocalCommandSenders.Instance);
        var unmanaged = _runtime.AddForeign("owners-database", new Dictionary<string, string>());
        var otherAttempt = _runtime.AddForeign("sched-job-1-3-1", Labels(new ShardAttemptId("job-1", 3, 1)));
        var named = _runtime.AddForeign("sched-job-1-4-1", Labels(new ShardAttemptId("job-1", 4, 1)));

        agent.Tell(new ReconcileVerdict([],
        [
            new ContainerReport(Attempt, unmanaged.Id, true, null, false),
            new ContainerReport(Attempt, otherAttempt.Id, true, null, false),
            new ContainerReport(new ShardAttemptId("job-1", 4, 1), named.Id, true, null, false),
        ]));

        await AwaitAssertAsync(() => Assert.DoesNotContain(named.Id, _runtime.Containers.Select(c => c.Id)), TimeSpan.FromSeconds(3));
        Assert.Contains(unmanaged.Id, _runtime.Containers.Select(c => c.Id));
        Assert.Contains(otherAttempt.Id, _runtime.Containers.Select(c => c.Id));
    }

    [Fact]
    public async Task Sched_labels_come_from_the_attempt_not_from_the_message()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler, LocalCommandSenders.Instance);
        var forged = Run().Labels
            .SetItem(ContainerLabels.Job, "someone-elses-job")
            .SetItem(ContainerLabels.Cluster, "another-cluster")
            .SetItem("team", "data");

        agent.Tell(Run() with { Labels = forged });

        await AwaitAssertAsync(() => Assert.Single(_runtime.Containers), TimeSpan.FromSeconds(3));
        var labels = _runtime.Containers.Single().Spec.Labels;
        Assert.Equal("job-1", labels[ContainerLabels.Job]);
        Assert.Equal("2", labels[ContainerLabels.Shard]);
        Assert.Equal("data", labels["team"]);
        Assert.False(labels.ContainsKey(ContainerLabels.Cluster), "the runtime, not the message, sets the cluster label");
    }

    private IActorRef Agent(TestProbe scheduler, ICommandSenders senders) =>
        Sys.ActorOf(NodeAgent.Props(_runtime, scheduler, AgentOptions.For("node1"), Silent, senders));

    private static RunShard Run() => new(
        Attempt, "busybox", [], ImmutableSortedDictionary<string, string>.Empty,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Labels(Attempt)), 64L * 1024 * 1024, 250);

    private static Dictionary<string, string> Labels(ShardAttemptId id) => new()
    {
        [ContainerLabels.Managed] = "true",
        [ContainerLabels.Job] = id.JobId,
        [ContainerLabels.Shard] = $"{id.Shard}",
        [ContainerLabels.Attempt] = $"{id.Attempt}",
    };

    private static async Task<T> FishForMessageAsync<T>(TestProbe probe, ShardAttemptId id)
        where T : class
    {
        var message = await probe.FishForMessageAsync(m => m is ShardStartFailed f && f.Id == id, TimeSpan.FromSeconds(3));
        return (T)message;
    }

    private sealed class RefuseEveryone : ICommandSenders
    {
        public bool MayCommand(IActorRef sender) => false;

        public bool MayReadLogs(IActorRef sender) => false;

        public bool MayFetchImages(IActorRef sender) => false;
    }
}
