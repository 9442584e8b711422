namespace Sched.NodeActor.Images;

/// <summary>
/// A node starts at most <paramref name="perWindow"/> copies of one image per <paramref name="window"/>: the nodes it
/// sent to then hold the image and serve the others, so copies spread as a tree instead of all leaving the node the
/// image was built on (node1 sent 4 of 6 copies of a 200 MB image before this). A receiver refused for this asks the
/// next holder, or asks again a second later.
/// </summary>
public sealed class SendShares(TimeSpan window, int perWindow)
{
    private readonly Dictionary<string, Queue<DateTime>> _starts = new(StringComparer.Ordinal);

    /// <summary>Starts a copy of the image now if this node has not yet sent its share of it; false when it has.</summary>
    public bool TryStart(string image, DateTime now)
    {
        if (!_starts.TryGetValue(image, out var starts))
        {
            _starts[image] = starts = new Queue<DateTime>();
        }

        while (starts.TryPeek(out var oldest) && now - oldest >= window)
        {
            starts.Dequeue();
        }

        if (starts.Count >= perWindow)
        {
            return false;
        }

        starts.Enqueue(now);
        return true;
    }
}
