using System.Collections.Immutable;
using Akka.Actor;
using Sched.Contracts;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.NodeActor.Runtime;
using Sched.Tests.Fakes;
using Serilog;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Agent;

/// <summary>
/// The scheduler sends a start again until the agent acknowledges it, so the agent must take a start it already has,
/// or whose container an agent before it left behind, without making a second container for the attempt.
/// </summary>
public sealed class StartAcknowledgementSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private static readonly ShardAttemptId Attempt = new("job-1", 2, 1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeRuntime _runtime = new() { Hold = true };

    [Fact]
    public async Task The_same_start_twice_is_acknowledged_twice_and_makes_one_container()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler);

        agent.Tell(Run());
        agent.Tell(Run());

        await scheduler.FishForMessageAsync(m => m is ShardAccepted a && a.Id == Attempt, Patience);
        await scheduler.FishForMessageAsync(m => m is ShardAccepted a && a.Id == Attempt, Patience);
        await scheduler.FishForMessageAsync(m => m is ShardStarted s && s.Id == Attempt, Patience);
        await agent.Ask<ActorIdentity>(new Identify(null), Patience);
        Assert.Equal([Attempt.ContainerName], _runtime.Containers.Select(c => c.Spec.Name));
    }

    [Fact]
    public async Task A_container_created_but_never_started_by_an_earlier_agent_is_started_not_made_again()
    {
        var scheduler = CreateTestProbe();
        var leftBehind = _runtime.AddCreated(Spec());
        var agent = Agent(scheduler);

        agent.Tell(Run());

        var started = (ShardStarted)await scheduler.FishForMessageAsync(m => m is ShardStarted s && s.Id == Attempt, Patience);
        Assert.Equal(leftBehind.Id, started.ContainerId);
        Assert.True(leftBehind.Running);
        Assert.Single(_runtime.Containers);
    }

    [Fact]
    public async Task A_container_of_the_attempt_that_already_exited_is_reported_as_its_exit_and_never_run_again()
    {
        var scheduler = CreateTestProbe();
        var done = _runtime.AddCreated(Spec());
        done.Started = true;
        done.Exit.SetResult(new ContainerExit(3, false));
        var agent = Agent(scheduler);

        agent.Tell(Run());

        var exited = (ShardExited)await scheduler.FishForMessageAsync(m => m is ShardExited e && e.Id == Attempt, Patience);
        Assert.Equal(3, exited.ExitCode);
        Assert.Single(_runtime.Containers);
        Assert.False(done.Running);
    }

    [Fact]
    public async Task A_running_container_taken_over_reports_the_dynamic_port_it_was_given_not_a_new_one()
    {
        var scheduler = CreateTestProbe();
        var running = _runtime.AddCreated(Spec() with { Env = new Dictionary<string, string> { ["SCHED_PORT_80"] = "41234" } });
        running.Started = true;
        running.Running = true;
        var agent = Agent(scheduler);

        agent.Tell(Run() with { Container = ContainerOptions.None with { Ports = [new PortMapping(null, 80), new PortMapping(18080, 8080)] } });

        var started = (ShardStarted)await scheduler.FishForMessageAsync(m => m is ShardStarted s && s.Id == Attempt, Patience);
        Assert.Equal(running.Id, started.ContainerId);
        Assert.Equal<KeyValuePair<string, int>>([KeyValuePair.Create("80/tcp", 41234), KeyValuePair.Create("8080/tcp", 18080)], started.Ports!);
        Assert.Single(_runtime.Containers);
    }

    private IActorRef Agent(Akka.TestKit.TestProbe scheduler) =>
        Sys.ActorOf(NodeAgent.Props(_runtime, scheduler, AgentOptions.For("node1"), Silent, LocalCommandSenders.Instance));

    private static ContainerSpec Spec() =>
        new(Attempt.ContainerName, "busybox", [], new Dictionary<string, string>(), RunShardCheck.Labels(Run()), 64L * 1024 * 1024, 250_000_000);

    private static RunShard Run() => new(
        Attempt, "busybox", [], ImmutableSortedDictionary<string, string>.Empty,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Job] = Attempt.JobId,
            [ContainerLabels.Shard] = $"{Attempt.Shard}",
            [ContainerLabels.Attempt] = $"{Attempt.Attempt}",
        }),
        64L * 1024 * 1024,
        250);
}
