using System.Collections.Immutable;
using Akka.Actor;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.Tests.Fakes;
using Serilog;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Agent;

/// <summary>A shard whose image is not on the node waits for it without being taken for lost, and the scheduler can always learn what a node holds now.</summary>
public sealed class NodeAgentImageSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private static readonly ShardAttemptId Attempt = new("job-1", 1, 1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeRuntime _runtime = new() { Hold = true };
    private readonly FakeImageStore _store = new();

    [Fact]
    public async Task A_start_whose_image_must_be_fetched_is_acknowledged_at_once_and_starts_nothing_yet()
    {
        var scheduler = CreateTestProbe();
        var agent = Agent(scheduler);

        agent.Tell(Run("localhost/built-on-node2:latest"));

        await scheduler.FishForMessageAsync(m => m is ShardAccepted a && a.Id == Attempt, Patience);
        var find = (FindImage)await scheduler.FishForMessageAsync(m => m is FindImage, Patience);
        Assert.Equal("localhost/built-on-node2:latest", find.Image);
        await agent.Ask<ActorIdentity>(new Identify(null), Patience);
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    public async Task Asked_for_its_images_the_agent_reports_them_as_they_are_now_even_when_nothing_changed()
    {
        var scheduler = CreateTestProbe();
        _store.Add("localhost/busybox:latest");
        var agent = Agent(scheduler);
        await scheduler.FishForMessageAsync(m => m is NodeImages, Patience);

        var built = _store.Add("localhost/built-just-now:latest");
        agent.Tell(ListImages.Instance, scheduler);
        var now = (NodeImages)await scheduler.FishForMessageAsync(m => m is NodeImages n && n.Images.Any(i => i.Id == built.Id), Patience);
        agent.Tell(ListImages.Instance, scheduler);
        var again = (NodeImages)await scheduler.FishForMessageAsync(m => m is NodeImages, Patience);

        // Ids, not records: a HeldImage's names are an ImmutableArray, which compares by reference.
        Assert.Equal(now.Images.Select(i => i.Id), again.Images.Select(i => i.Id));
    }

    private IActorRef Agent(Akka.TestKit.TestProbe scheduler) =>
        Sys.ActorOf(NodeAgent.Props(_runtime, scheduler, AgentOptions.For("node1"), Silent, LocalCommandSenders.Instance, _store));

    private static RunShard Run(string image) => new(
        Attempt, image, [], ImmutableSortedDictionary<string, string>.Empty,
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
