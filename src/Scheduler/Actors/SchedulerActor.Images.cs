using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Images;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Actors;

/// <summary>Images: what each node holds, so a node that lacks a shard's image learns which peers can send it.</summary>
public sealed partial class SchedulerActor
{
    /// <summary>
    /// How long a find of an image no node is known to hold waits for the nodes' fresh lists; well under the 15 s
    /// an agent waits for the answer, so that a node slow to list its images delays the answer, never loses it.
    /// </summary>
    private static readonly TimeSpan ImageListsWait = TimeSpan.FromSeconds(8);

    private readonly Dictionary<ShardAttemptId, string> _imageWaits = [];
    private readonly List<ImageFind> _imageFinds = [];
    private ImageCatalog _images = ImageCatalog.Empty;
    private long _imageFindCount;

    private void ReceiveImageReports()
    {
        Receive<NodeImages>(OnNodeImages);
        Receive<FindImage>(OnFindImage);
        Receive<ImageListsOverdue>(overdue => AnswerFinds(f => f.Number == overdue.Number));
        Receive<ShardImageUnavailable>(m => Ended(m.Id, AttemptEnd.ImageUnavailable(m.Reason)));
        Receive<ShardsAwaitImage>(OnShardsAwaitImage);
        Receive<GetImages>(_ => Sender.Tell(new ImageListReply([.. _images.ByNode.Values])));
    }

    /// <summary>
    /// The catalog is what each node reported at its last probe: an image built or loaded on a node since is not in
    /// it. So a find that no known holder answers asks every up node for its list now, and is answered when all
    /// have reported (or after <see cref="ImageListsWait"/>); only then does the asker fall back to a registry.
    /// </summary>
    private void OnFindImage(FindImage find)
    {
        var holders = _images.HoldersOf(find.Image, _nodes, Shuffled);
        var asked = _agents.Where(a => _images.ByNode.ContainsKey(a.Key) && _nodes.Nodes.GetValueOrDefault(a.Key) is { Membership: Membership.Up }).ToList();
        if (holders.Length > 0 || asked.Count == 0)
        {
            Sender.Tell(new ImageHolders(find.Image, holders, _images.NodesAsked(_nodes)));
            return;
        }

        var number = ++_imageFindCount;
        _imageFinds.Add(new ImageFind(number, find.Image, Sender, [.. asked.Select(a => a.Key)]));
        foreach (var (_, agent) in asked)
        {
            agent.Tell(ListImages.Instance);
        }

        Timers.StartSingleTimer($"image-find-{number}", new ImageListsOverdue(number), ImageListsWait);
    }

    private void OnNodeImages(NodeImages report)
    {
        _images = _images.Reported(report);
        foreach (var find in _imageFinds)
        {
            find.Awaited.Remove(report.Node);
        }

        AnswerFinds(f => f.Awaited.Count == 0);
    }

    private void AnswerFinds(Predicate<ImageFind> which)
    {
        foreach (var find in _imageFinds.FindAll(which))
        {
            _imageFinds.Remove(find);
            Timers.Cancel($"image-find-{find.Number}");
            find.Asker.Tell(new ImageHolders(find.Image, _images.HoldersOf(find.Image, _nodes, Shuffled), _images.NodesAsked(_nodes)));
        }
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

    private sealed record ImageFind(long Number, string Image, IActorRef Asker, HashSet<string> Awaited);

    private sealed record ImageListsOverdue(long Number);

    private IEnumerable<ImageHolder> Shuffled(IReadOnlyList<ImageHolder> holders) => holders.OrderBy(_ => _random.Next());
}
