using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.NodeActor.Images;
using Sched.Tests.Fakes;
using Serilog;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Images;

/// <summary>
/// Once every node it was told of failed to send the image, a fetch asks the scheduler once more before it gives up:
/// a node that copied the image meanwhile may send it now.
/// </summary>
public sealed class ImageFetchSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const string Image = "localhost/my-processor:latest";
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly HeldImage Held = new("sha256:" + new string('a', 64), [Image], "arm64", 1024);
    private readonly Akka.TestKit.TestProbe _scheduler;
    private readonly Akka.TestKit.TestProbe _agents;
    private readonly Akka.TestKit.TestProbe _parent;

    public ImageFetchSpecs(ITestOutputHelper output)
        : base(output: output)
    {
        _scheduler = CreateTestProbe();
        _agents = CreateTestProbe();
        _parent = CreateTestProbe();
        var agents = _agents;
        Sys.ActorOf(Props.Create(() => new Forwarder(agents)), "agent");
    }

    private string Address => ((ExtendedActorSystem)Sys).Provider.DefaultAddress.ToString();

    private ImageHolders Holders(params string[] nodes) => new(Image, [.. nodes.Select(n => new ImageHolder(n, Address, Held))], [.. nodes]);

    private void StartFetch() => _parent.ChildActorOf(ImageFetch.Props(new FakeImageStore(), Image, "node1", "arm64", _scheduler, Silent));

    private async Task RefuseNext(string reason)
    {
        var send = await _agents.ExpectMsgAsync<SendImage>(Patience);
        _agents.Reply(new ImageRefused(send.TransferId, reason, Busy: false));
    }

    [Fact]
    public async Task After_every_holder_failed_it_asks_again_and_copies_from_a_holder_that_appeared_meanwhile()
    {
        StartFetch();
        await _scheduler.ExpectMsgAsync<FindImage>(Patience);
        _scheduler.Reply(Holders("node2"));
        await RefuseNext("its store lost the image");

        await _scheduler.ExpectMsgAsync<FindImage>(Patience);
        _scheduler.Reply(Holders("node2", "node3"));

        var asked = await _agents.ExpectMsgAsync<SendImage>(Patience);
        Assert.Equal(Image, asked.Image);
        _agents.Reply(new ImageRefused(asked.TransferId, "disk full", Busy: false));
        var done = await _parent.ExpectMsgAsync<ImageFetchDone>(Patience);
        Assert.Equal(ImageFetchOutcome.Failed, done.Outcome);
        Assert.Equal($"could not copy {Image} from any node that holds it: node2: its store lost the image; node3: disk full", done.Reason);
        await _scheduler.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task When_asking_again_names_only_holders_that_failed_it_fails_at_once_naming_each_failure()
    {
        StartFetch();
        await _scheduler.ExpectMsgAsync<FindImage>(Patience);
        _scheduler.Reply(Holders("node2"));
        await RefuseNext("its store lost the image");
        await _scheduler.ExpectMsgAsync<FindImage>(Patience);

        _scheduler.Reply(Holders("node2"));

        var done = await _parent.ExpectMsgAsync<ImageFetchDone>(Patience);
        Assert.Equal((ImageFetchOutcome.Failed, $"could not copy {Image} from any node that holds it: node2: its store lost the image"), (done.Outcome, done.Reason));
        await _agents.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(message => target.Forward(message));
    }
}
