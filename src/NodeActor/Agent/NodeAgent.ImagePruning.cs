using Akka.Actor;
using Sched.NodeActor.Images;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Image pruning: the images this node copied from a peer or pulled (<see cref="ImageCopies"/>) go once no
/// container has used them for <see cref="AgentOptions.PruneImagesAfter"/>, so an SD card does not fill with old
/// versions; images built or pushed here are never pruned. Every removal is logged, and the scheduler learns the
/// node's new image list.
/// </summary>
public sealed partial class NodeAgent
{
    private bool _pruning;

    private void ReceivePruneMessages()
    {
        Receive<PruneImages>(_ => PruneNow());
        Receive<PruneFacts>(OnPruneFacts);
        Receive<ImagesPruned>(OnImagesPruned);
        Receive<CopyInspected>(c => Remember(() => _options.Copies!.Copied(c.Id, c.Image, c.From, DateTimeOffset.UtcNow)));
    }

    private void StartPruning()
    {
        if (_options.Copies is not null && _options.PruneImagesAfter is not null && _images is not null)
        {
            Timers.StartPeriodicTimer("prune-images", PruneImages.Instance, _options.PruneSweepEvery);
        }
    }

    /// <summary>A copy that arrived is remembered by its id, so a later sweep may prune it.</summary>
    private void RecordCopy(ImageFetchDone done)
    {
        if (_options.Copies is null || _images is null)
        {
            return;
        }

        var from = done.From ?? "registry";
        _images.InspectAsync(done.Image, CancellationToken.None)
            .PipeTo(Self, success: held => held is null ? PruneFacts.Nothing : new CopyInspected(held.Id, done.Image, from), failure: _ => PruneFacts.Nothing);
    }

    private void PruneNow()
    {
        if (_pruning)
        {
            return;
        }

        _pruning = true;
        var images = _images!;
        Task.Run(async () => new PruneFacts(await images.InUseAsync(CancellationToken.None), (await images.ListAsync(CancellationToken.None)).Select(i => i.Id).ToHashSet(StringComparer.Ordinal)))
            .PipeTo(Self, failure: e => new ImagesPruned([], [$"the engine did not list images and containers: {e.GetBaseException().Message}"]));
    }

    private void OnPruneFacts(PruneFacts facts)
    {
        if (facts.InStore is null)
        {
            return;
        }

        IReadOnlyList<ImageCopy> due = [];
        Remember(() => due = _options.Copies!.Due(facts.InUse!, facts.InStore, DateTimeOffset.UtcNow, _options.PruneImagesAfter!.Value));
        var images = _images!;
        Task.Run(async () =>
        {
            var removed = new List<ImageCopy>();
            var failed = new List<string>();
            foreach (var copy in due)
            {
                try
                {
                    await images.RemoveAsync(copy.Id, copy.Image, CancellationToken.None);
                    removed.Add(copy);
                }
                catch (Exception e)
                {
                    failed.Add($"{copy.Image} ({copy.Id}): {e.GetBaseException().Message}");
                }
            }

            return new ImagesPruned(removed, failed);
        }).PipeTo(Self);
    }

    private void OnImagesPruned(ImagesPruned pruned)
    {
        _pruning = false;
        foreach (var copy in pruned.Removed)
        {
            _log.Information("pruned image {Image} ({Id}): copied from {From} at {CopiedAt:u}, no container used it since {LastUsed:u}",
                copy.Image, copy.Id, copy.From, copy.CopiedAt, copy.LastUsedAt);
            Remember(() => _options.Copies!.Removed(copy.Id));
        }

        foreach (var failure in pruned.Failed)
        {
            _log.Warning("could not prune image {Failure}; trying again at the next sweep", failure);
        }

        if (pruned.Removed.Count > 0)
        {
            RefreshImages();
        }
    }

    /// <summary>The record is a file in the data dir; a full disk must not stop the agent, only delay the pruning.</summary>
    private void Remember(Action change)
    {
        try
        {
            change();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("could not write the record of copied images: {Reason}; it is written again with the next change", e.Message);
        }
    }

    private sealed record PruneImages
    {
        public static readonly PruneImages Instance = new();
    }

    private sealed record PruneFacts(IReadOnlySet<string>? InUse, IReadOnlySet<string>? InStore)
    {
        public static readonly PruneFacts Nothing = new(null, null);
    }

    private sealed record CopyInspected(string Id, string Image, string From);

    private sealed record ImagesPruned(IReadOnlyList<ImageCopy> Removed, IReadOnlyList<string> Failed);
}
