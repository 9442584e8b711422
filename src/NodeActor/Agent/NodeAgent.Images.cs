using System.Collections.Immutable;
using Akka.Actor;
using Sched.Contracts.Images;
using Sched.Contracts.Messages;
using Sched.NodeActor.Images;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Images: a shard whose image this node lacks waits while the image is copied from a peer (or, when no peer holds
/// it, pulled from its registry), and fails for good when neither can supply it; the agent serves its own images to peers, two at a time, and tells the
/// scheduler which images it holds whenever that changes.
/// </summary>
public sealed partial class NodeAgent
{
    /// <summary>A node sends to at most this many peers at once; the others fetch from the nodes that already have it.</summary>
    public const int MaxConcurrentSends = 2;

    private const string SenderPrefix = "image-send-";
    private const string FetchPrefix = "image-fetch-";
    private readonly IImageStore? _images;
    private readonly Dictionary<string, List<RunShard>> _waitingForImage = new(StringComparer.Ordinal);
    private readonly SendShares _sendShares = new(TimeSpan.FromMinutes(1), MaxConcurrentSends);
    private ImmutableArray<HeldImage> _heldImages = [];
    private string _heldImagesKey = "";
    private bool _listingImages;
    private bool _listImagesAgain;
    private bool _imagesReported;

    private string Architecture => _options.Labels.GetValueOrDefault("arch") ?? _info?.Architecture ?? "unknown";

    private void ReceiveImageMessages()
    {
        Receive<ImagesListed>(OnImagesListed);
        Receive<ImageChecked>(OnImageChecked);
        Receive<ImageFetchProgress>(OnFetchProgress);
        Receive<ImageFetchDone>(OnFetchDone);
        Receive<SendImage>(OnSendImage);
        Receive<ListImages>(list => FromScheduler(list, _ => ListImagesNow()));
    }

    /// <summary>Launches the shard now if its image is here (or images are not this agent's business), else once it is.</summary>
    private void WithImage(RunShard run)
    {
        if (_images is null || _heldImages.Any(i => ImageNames.Matches(run.Image, i.Id, i.Names)))
        {
            Launch(run);
            return;
        }

        if (_waitingForImage.TryGetValue(run.Image, out var waiting))
        {
            waiting.Add(run);
            return;
        }

        _waitingForImage[run.Image] = [run];
        var image = run.Image;
        _images.InspectAsync(image, CancellationToken.None)
            .PipeTo(Self, success: held => new ImageChecked(image, held is not null), failure: _ => new ImageChecked(image, null));
    }

    private bool IsWaitingForImage(ShardAttemptId id) => _waitingForImage.Values.Any(runs => runs.Any(r => r.Id == id));

    private IEnumerable<ShardAttemptId> WaitingForImages() => _waitingForImage.Values.SelectMany(runs => runs.Select(r => r.Id));

    private void ForgetWaiting(Func<ShardAttemptId, bool> which)
    {
        foreach (var runs in _waitingForImage.Values)
        {
            runs.RemoveAll(r => which(r.Id));
        }
    }

    /// <summary>Present: run. Absent: fetch. Unknown (the engine did not answer): run, and let the runner report the engine's error.</summary>
    private void OnImageChecked(ImageChecked check)
    {
        if (check.Present != false)
        {
            LaunchWaiting(check.Image);
            return;
        }

        var name = FetchPrefix + Uri.EscapeDataString(check.Image);
        if (Context.Child(name).IsNobody())
        {
            Context.ActorOf(ImageFetch.Props(_images!, check.Image, _options.NodeName, Architecture, _scheduler, _log), name);
        }
    }

    /// <summary>Fenced: a shard that waits for its image will not start here; it is reported fenced like a running one.</summary>
    private void FenceWaitingForImages(string reason)
    {
        foreach (var run in _waitingForImage.Values.SelectMany(runs => runs))
        {
            _scheduler.Tell(new ShardFenced(run.Id, _options.NodeName, reason));
        }

        _waitingForImage.Clear();
    }

    private void OnFetchProgress(ImageFetchProgress progress)
    {
        const double MB = 1024 * 1024;
        var text = $"fetching image from {progress.From} ({progress.Received / MB:0}/{Math.Max(progress.Total, progress.Received) / MB:0} MB)";
        TellWaiting(progress.Image, text);
    }

    private void TellWaiting(string image, string? progress)
    {
        if (_waitingForImage.TryGetValue(image, out var runs) && runs.Count > 0)
        {
            _scheduler.Tell(new ShardsAwaitImage(_options.NodeName, [.. runs.Select(r => r.Id)], progress));
        }
    }

    private void OnFetchDone(ImageFetchDone done)
    {
        TellWaiting(done.Image, null);
        switch (done.Outcome)
        {
            case ImageFetchOutcome.Fetched or ImageFetchOutcome.Pulled:
                RecordCopy(done);
                RefreshImages();
                LaunchWaiting(done.Image);
                break;
            default:
                _log.Warning("not starting shards of image {Image}: {Reason}", done.Image, done.Reason);
                foreach (var run in TakeWaiting(done.Image))
                {
                    _scheduler.Tell(new ShardImageUnavailable(run.Id, _options.NodeName, done.Reason));
                }

                break;
        }
    }

    private void LaunchWaiting(string image)
    {
        foreach (var run in TakeWaiting(image))
        {
            Launch(run);
        }
    }

    private List<RunShard> TakeWaiting(string image) =>
        _waitingForImage.Remove(image, out var runs) ? runs : [];

    private void OnSendImage(SendImage request)
    {
        if (!_senders.MayFetchImages(Sender))
        {
            _refusals.Refused(Sender, nameof(SendImage), "it is not a member of this node's cluster");
            return;
        }

        var sending = Context.GetChildren().Count(c => c.Path.Name.StartsWith(SenderPrefix, StringComparison.Ordinal));
        if (_images is null || sending >= MaxConcurrentSends)
        {
            var reason = _images is null ? $"{_options.NodeName} does not serve images" : $"{_options.NodeName} is sending to {sending} nodes already";
            Sender.Tell(new ImageRefused(request.TransferId, reason, Busy: _images is not null));
            return;
        }

        if (!_sendShares.TryStart(request.Image, DateTime.UtcNow))
        {
            Sender.Tell(new ImageRefused(request.TransferId,
                $"{_options.NodeName} sent {request.Image} to {MaxConcurrentSends} nodes in the last minute; those serve it now", Busy: true));
            return;
        }

        Context.ActorOf(ImageSender.Props(_images, request, Sender, _log), SenderPrefix + Uri.EscapeDataString(request.TransferId));
    }

    private void RefreshImages()
    {
        if (_images is null || _listingImages)
        {
            return;
        }

        _listingImages = true;
        _images.ListAsync(CancellationToken.None).PipeTo(Self, success: images => new ImagesListed(images), failure: _ => new ImagesListed(null));
    }

    /// <summary>
    /// The scheduler asks because a node looks for an image it does not know a holder of: the list it gets must be
    /// taken after the question, so a listing already under way is taken again, and it is reported even unchanged.
    /// </summary>
    private void ListImagesNow()
    {
        _imagesReported = false;
        if (_listingImages)
        {
            _listImagesAgain = true;
            return;
        }

        RefreshImages();
    }

    /// <summary>Tells the scheduler only what changed since the last report, and everything on first contact or when asked.</summary>
    private void OnImagesListed(ImagesListed listed)
    {
        _listingImages = false;
        if (_listImagesAgain)
        {
            _listImagesAgain = false;
            RefreshImages();
            return;
        }

        if (listed.Images is null)
        {
            return;
        }

        var images = listed.Images.OrderBy(i => i.Id, StringComparer.Ordinal).ToImmutableArray();
        var key = string.Join(";", images.Select(i => $"{i.Id} {i.Architecture} {string.Join(",", i.Names)}"));
        _heldImages = images;
        if (_imagesReported && key == _heldImagesKey)
        {
            return;
        }

        _heldImagesKey = key;
        _imagesReported = true;
        _scheduler.Tell(new NodeImages(_options.NodeName, images));
    }

    private sealed record ImagesListed(IReadOnlyList<HeldImage>? Images);

    private sealed record ImageChecked(string Image, bool? Present);
}
