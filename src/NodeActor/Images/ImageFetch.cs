using Akka.Actor;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Serilog;

namespace Sched.NodeActor.Images;

/// <summary>
/// Gets one image this node lacks from a peer that holds it: asks the scheduler who holds it, asks holders of this
/// node's architecture one after another, and streams the first offer into the local store; when no node holds
/// it, pulls it from its registry. A transfer that stops,
/// is cut off or does not add up is abandoned before podman sees the archive's end, and the next holder is asked; an
/// image is reported fetched only when the store resolves the name to the id that was offered. Once every holder
/// failed, the scheduler is asked once more, since nodes that copied the image meanwhile hold it now; only when it
/// names no holder that has not failed does the fetch fail. Tells its parent
/// <see cref="ImageFetchProgress"/> as bytes come and one <see cref="ImageFetchDone"/>, then stops.
/// </summary>
public sealed partial class ImageFetch : ReceiveActor, IWithTimers, IDisposable
{
    /// <summary>Chunks asked for ahead: the most this node holds of an image at once (about 0.8 MB).</summary>
    public const int Window = 16;

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Stalled = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);
    private readonly IImageStore _store;
    private readonly string _image;
    private readonly string _node;
    private readonly string _architecture;
    private readonly IActorRef _scheduler;
    private readonly ILogger _log;
    private readonly DateTime _startedAt = DateTime.UtcNow;
    private readonly List<string> _failures = [];
    private readonly HashSet<string> _failedHolders = new(StringComparer.Ordinal);
    private bool _askedAgainAfterFailures;
    private Queue<ImageHolder> _candidates = new();
    private bool _anyBusy;
    private Transfer? _transfer;

    public ImageFetch(IImageStore store, string image, string node, string architecture, IActorRef scheduler, ILogger log)
    {
        (_store, _image, _node, _architecture, _scheduler, _log) = (store, image, node, architecture, scheduler, log);
        Receive<ImageHolders>(OnHolders);
        Receive<AskAgain>(_ => _scheduler.Tell(new FindImage(_image)));
        Receive<ImageOffer>(OnOffer);
        Receive<ImageRefused>(OnRefused);
        Receive<ImageChunk>(OnChunk);
        Receive<ChunkConsumed>(c => c.TransferId == _transfer?.Id, _ => _transfer!.Sender!.Tell(new ImageDemand(_transfer.Id, 1), Self));
        Receive<ImageSent>(OnSent);
        Receive<Loaded>(OnLoaded);
        Receive<Verified>(OnVerified);
        Receive<Pulled>(OnPulled);
        Receive<ImageTransferAborted>(a => a.TransferId == _transfer?.Id, a => Abandon(a.Reason));
        Receive<Terminated>(t => t.ActorRef.Equals(_transfer?.Sender), _ => Abandon("its agent went away mid-transfer"));
        Receive<TimedOut>(t => t.TransferId == _transfer?.Id, t => Abandon(t.Reason));
        Receive<SchedulerSilent>(_ => Finish(ImageFetchOutcome.Failed, null, $"the scheduler did not say which nodes hold {_image}"));
        ReceiveAny(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IImageStore store, string image, string node, string architecture, IActorRef scheduler, ILogger log) =>
        Akka.Actor.Props.Create(() => new ImageFetch(store, image, node, architecture, scheduler, log));

    protected override void PreStart()
    {
        _scheduler.Tell(new FindImage(_image));
        Timers.StartSingleTimer("find", SchedulerSilent.Instance, AnswerTimeout);
    }

    protected override void PostStop() => _transfer?.Cancel("the fetch stopped");

    public void Dispose() => _transfer?.Dispose();

    private void OnHolders(ImageHolders holders)
    {
        Timers.Cancel("find");
        var peers = holders.Holders.Where(h => h.Node != _node).ToList();
        var fitting = peers.Where(h => h.Image.Architecture == _architecture && !_failedHolders.Contains(h.Node)).ToList();
        if (peers.Count == 0)
        {
            Pull(holders.NodesKnown);
            return;
        }

        if (fitting.Count == 0 && _failedHolders.Count > 0)
        {
            Finish(ImageFetchOutcome.Failed, null, $"could not copy {_image} from any node that holds it: {string.Join("; ", _failures)}");
            return;
        }

        if (fitting.Count == 0)
        {
            var found = string.Join(", ", peers.Select(p => $"{p.Image.Architecture} on {p.Node}"));
            Finish(ImageFetchOutcome.Failed, null, $"image {_image} is {found}; this node ({_node}) is {_architecture}, so it was not copied");
            return;
        }

        _candidates = new Queue<ImageHolder>(fitting);
        _anyBusy = false;
        AskNextHolder();
    }

    /// <summary>No peer holds it: the last place to get it is a registry, through the engine.</summary>
    private void Pull(IReadOnlyList<string> nodesKnown)
    {
        var asked = nodesKnown.Count == 0 ? "no node has reported its images yet" : $"none of {string.Join(", ", nodesKnown)} holds it";
        _log.Information("pulling image {Image} from its registry: {Asked}", _image, asked);
        _store.PullAsync(_image, CancellationToken.None)
            .PipeTo(Self, success: () => new Pulled(null), failure: e => new Pulled($"image {_image}: {asked}, and {e.GetBaseException().Message}"));
    }

    private void OnPulled(Pulled pulled)
    {
        if (pulled.Error is { } error)
        {
            Finish(ImageFetchOutcome.Failed, null, error);
            return;
        }

        Finish(ImageFetchOutcome.Pulled, "registry", "pulled from its registry");
    }

    private void AskNextHolder()
    {
        if (!_candidates.TryDequeue(out var holder))
        {
            if (_anyBusy && DateTime.UtcNow - _startedAt < GiveUpAfter)
            {
                Timers.StartSingleTimer("again", AskAgain.Instance, BusyRetry);
                return;
            }

            if (!_askedAgainAfterFailures)
            {
                _askedAgainAfterFailures = true;
                _log.Information("every node asked for {Image} failed ({Failures}); asking the scheduler for holders again", _image, string.Join("; ", _failures));
                _scheduler.Tell(new FindImage(_image));
                Timers.StartSingleTimer("find", SchedulerSilent.Instance, AnswerTimeout);
                return;
            }

            Finish(ImageFetchOutcome.Failed, null, $"could not copy {_image} from any node that holds it: {string.Join("; ", _failures)}");
            return;
        }

        var id = $"{_node}-{Guid.NewGuid():N}";
        _transfer = new Transfer(id, holder);
        Context.ActorSelection(ActorPaths.Agent.On(holder.MemberAddress)).Tell(new SendImage(id, _image, _architecture), Self);
        Timers.StartSingleTimer("answer", new TimedOut(id, "it did not answer"), AnswerTimeout);
    }

    private void OnRefused(ImageRefused refused)
    {
        if (refused.TransferId != _transfer?.Id)
        {
            return;
        }

        Timers.Cancel("answer");
        _anyBusy |= refused.Busy;
        if (!refused.Busy)
        {
            _failures.Add($"{_transfer.Holder.Node}: {refused.Reason}");
            _failedHolders.Add(_transfer.Holder.Node);
        }

        _transfer.Dispose();
        _transfer = null;
        AskNextHolder();
    }

    private void OnOffer(ImageOffer offer)
    {
        if (offer.TransferId != _transfer?.Id || _transfer.Sender is not null)
        {
            Sender.Tell(new ImageTransferAborted(offer.TransferId, "not wanted any more"));
            return;
        }

        Timers.Cancel("answer");
        _log.Information("fetching image {Image} ({Id}, {Size} bytes) from {Holder}", _image, offer.ImageId, offer.SizeBytes, _transfer.Holder.Node);
        Context.Watch(Sender);
        var self = Self;
        var id = _transfer.Id;
        _transfer.Start(Sender, offer, () => self.Tell(new ChunkConsumed(id)));
        _transfer.Load(_store).PipeTo(Self, success: () => new Loaded(id, null), failure: e => new Loaded(id, e.GetBaseException().Message));
        Sender.Tell(new ImageDemand(id, Window), Self);
        RestartStallTimer();
        Report();
    }

    private void OnChunk(ImageChunk chunk)
    {
        if (chunk.TransferId != _transfer?.Id)
        {
            return;
        }

        if (_transfer.Accept(chunk) is { } problem)
        {
            Abandon(problem);
            return;
        }

        RestartStallTimer();
        if (DateTime.UtcNow - _transfer.ReportedAt >= ProgressEvery)
        {
            Report();
        }
    }

    private void OnSent(ImageSent sent)
    {
        if (sent.TransferId != _transfer?.Id)
        {
            return;
        }

        if (_transfer.Complete(sent) is { } problem)
        {
            Abandon(problem);
            return;
        }

        // Everything came and added up: the sender stops now, and the load may take a while longer.
        Context.Unwatch(_transfer.Sender!);
        Timers.Cancel("stall");
    }

    private void OnLoaded(Loaded loaded)
    {
        if (loaded.TransferId != _transfer?.Id)
        {
            return;
        }

        if (loaded.Error is { } error)
        {
            Abandon($"the load failed: {error}");
            return;
        }

        Report();
        var expected = _transfer.Offer!.ImageId;
        var id = _transfer.Id;
        _store.InspectAsync(_image, CancellationToken.None)
            .PipeTo(Self, success: held => new Verified(id, held?.Id == expected ? null : $"after the load {_image} is {held?.Id ?? "missing"}, not {expected}"),
                failure: e => new Verified(id, e.GetBaseException().Message));
    }

    private void OnVerified(Verified verified)
    {
        if (verified.TransferId != _transfer?.Id)
        {
            return;
        }

        if (verified.Problem is { } problem)
        {
            Abandon(problem);
            return;
        }

        var from = _transfer.Holder.Node;
        _log.Information("fetched image {Image} ({Id}) from {Holder}: {Bytes} bytes in {Seconds:0.0} s",
            _image, _transfer.Offer!.ImageId, from, _transfer.Received, (DateTime.UtcNow - _transfer.StartedAt).TotalSeconds);
        Finish(ImageFetchOutcome.Fetched, from, $"copied from {from}");
    }

    private void Abandon(string reason)
    {
        var transfer = _transfer!;
        _log.Warning("fetching image {Image} from {Holder} failed: {Reason}", _image, transfer.Holder.Node, reason);
        _failures.Add($"{transfer.Holder.Node}: {reason}");
        _failedHolders.Add(transfer.Holder.Node);
        Timers.Cancel("answer");
        Timers.Cancel("stall");
        if (transfer.Sender is { } sender)
        {
            Context.Unwatch(sender);
            sender.Tell(new ImageTransferAborted(transfer.Id, reason), Self);
        }

        transfer.Cancel(reason);
        _transfer = null;
        AskNextHolder();
    }

    private void RestartStallTimer() =>
        Timers.StartSingleTimer("stall", new TimedOut(_transfer!.Id, $"nothing came for {Stalled.TotalSeconds:0} s"), Stalled);

    private void Report()
    {
        var transfer = _transfer!;
        transfer.ReportedAt = DateTime.UtcNow;
        Context.Parent.Tell(new ImageFetchProgress(_image, transfer.Holder.Node, transfer.Received, transfer.Offer?.SizeBytes ?? 0));
    }

    private void Finish(ImageFetchOutcome outcome, string? from, string reason)
    {
        Context.Parent.Tell(new ImageFetchDone(_image, outcome, from, reason));
        Context.Stop(Self);
    }

    private sealed record AskAgain
    {
        public static readonly AskAgain Instance = new();
    }

    private sealed record SchedulerSilent
    {
        public static readonly SchedulerSilent Instance = new();
    }

    private sealed record TimedOut(string TransferId, string Reason);

    private sealed record ChunkConsumed(string TransferId);

    private sealed record Loaded(string TransferId, string? Error);

    private sealed record Verified(string TransferId, string? Problem);

    private sealed record Pulled(string? Error);
}

public enum ImageFetchOutcome
{
    /// <summary>Copied from a peer and verified.</summary>
    Fetched,

    /// <summary>No peer holds it; pulled from its registry.</summary>
    Pulled,

    /// <summary>Neither a peer nor a registry could supply it (or not for this node's architecture).</summary>
    Failed,
}

/// <summary>To the agent: how far the copy of an image is.</summary>
public sealed record ImageFetchProgress(string Image, string From, long Received, long Total);

/// <summary>To the agent: the fetch of an image ended.</summary>
public sealed record ImageFetchDone(string Image, ImageFetchOutcome Outcome, string? From, string Reason);
