using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.NodeActor.Images;
using Sched.Tests.Fakes;
using Serilog;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Images;

/// <summary>
/// Only the images a node copied or pulled are pruned, once no container has used them for the policy's time; an
/// image built or pushed here (perhaps the cluster's only copy) stays, and so does a copy a container uses.
/// </summary>
public sealed class ImagePruningSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IDisposable
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"sched-copies-{Guid.NewGuid():N}.json");

    public new void Dispose()
    {
        File.Delete(_path);
        base.Dispose();
    }

    [Fact]
    public void A_copy_is_due_once_unused_for_the_policys_time_a_used_one_counts_as_used_now_and_the_record_outlives_the_agent()
    {
        var copies = new ImageCopies(_path);
        copies.Copied("sha256:old", "proc:1", "node2", T0);
        copies.Copied("sha256:used", "proc:2", "node2", T0);
        copies.Copied("sha256:gone", "proc:3", "registry", T0);
        HashSet<string> store = ["sha256:old", "sha256:used", "sha256:built-here"];

        var early = copies.Due(new HashSet<string> { "sha256:used" }, store, T0.AddHours(71), TimeSpan.FromHours(72));
        var due = new ImageCopies(_path).Due(new HashSet<string>(), store, T0.AddHours(72), TimeSpan.FromHours(72));

        Assert.Empty(early);
        Assert.Equal(["sha256:old"], due.Select(c => c.Id));
        Assert.Equal(["sha256:old", "sha256:used"], new ImageCopies(_path).All.Select(c => c.Id));
        Assert.Equal(T0.AddHours(71), new ImageCopies(_path).All.Single(c => c.Id == "sha256:used").LastUsedAt);
    }

    [Fact]
    public async Task The_agent_prunes_an_unused_copy_keeps_a_used_copy_and_an_image_built_here_and_tells_the_scheduler()
    {
        var store = new FakeImageStore();
        var copied = store.Add("registry.lan/proc:1");
        var inUse = store.Add("registry.lan/proc:2");
        var builtHere = store.Add("localhost/my-processor:latest");
        store.Used.Add(inUse.Id);
        var copies = new ImageCopies(_path);
        copies.Copied(copied.Id, "registry.lan/proc:1", "node2", DateTimeOffset.UtcNow.AddHours(-1));
        copies.Copied(inUse.Id, "registry.lan/proc:2", "node3", DateTimeOffset.UtcNow.AddHours(-1));
        var scheduler = CreateTestProbe();
        var options = AgentOptions.For("node1") with { Copies = copies, PruneImagesAfter = TimeSpan.FromMinutes(30), PruneSweepEvery = TimeSpan.FromMilliseconds(200) };

        Sys.ActorOf(NodeAgent.Props(new FakeRuntime(), scheduler, options, Silent, LocalCommandSenders.Instance, store));

        var reported = (NodeImages)await scheduler.FishForMessageAsync(
            m => m is NodeImages images && images.Images.All(i => i.Id != copied.Id), TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { inUse.Id, builtHere.Id }.Order(), reported.Images.Select(i => i.Id).Order());
        Assert.Equal([inUse.Id], copies.All.Select(c => c.Id));
    }
}
