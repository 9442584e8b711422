using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Images;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Actors;

/// <summary>Images: what each node holds, so a node that lacks a shard's image learns which peers can send it.</summary>
public sealed partial class SchedulerActor
{
    private readonly Dictionary<ShardAttemptId, string> _imageWaits = [];
    private ImageCatalog _images = ImageCatalog.Empty;

    private void ReceiveImageReports()
    {
        Receive<NodeImages>(report => _images = _images.Reported(report));
        Receive<FindImage>(find => Sender.Tell(new ImageHolders(find.Image, _images.HoldersOf(find.Image, _nodes, Shuffled), [.. _images.ByNode.Keys])));
        Receive<ShardImageUnavailable>(m => Ended(m.Id, AttemptEnd.ImageUnavailable(m.Reason)));
        Receive<ShardsAwaitImage>(OnShardsAwaitImage);
        Receive<GetImages>(_ => Sender.Tell(new ImageListReply([.. _images.ByNode.Values])));
    }

    private void OnShardsAwaitImage(ShardsAwaitImage waiting)
    {
        foreach (var id in waiting.Shards)
        {
            if (waiting.Progress is { } progress)
            {
                _imageWaits[id] = progress;
            }
            else
            {
                _imageWaits.Remove(id);
            }
        }
    }

    /// <summary>A placed shard that waits for its image says how far the copy is, instead of no reason at all.</summary>
    private JobView? WithImageWaits(JobView? view) =>
        view is null || _imageWaits.Count == 0
            ? view
            : view with
            {
                Shards = [.. view.Shards.Select(s => s.Status == ShardStatus.Placed
                    && _imageWaits.TryGetValue(new ShardAttemptId(view.Id, s.Shard, s.Attempt), out var progress) ? s with { Reason = progress } : s)],
            };

    private IEnumerable<ImageHolder> Shuffled(IReadOnlyList<ImageHolder> holders) => holders.OrderBy(_ => _random.Next());
}
