using System.Collections.Immutable;
using System.Text.Json;

namespace Sched.NodeActor.Images;

/// <summary>An image this node copied from a peer or pulled from a registry: it can be had again, so it may be pruned.</summary>
public sealed record ImageCopy(string Id, string Image, string From, DateTimeOffset CopiedAt, DateTimeOffset LastUsedAt);

/// <summary>
/// The images this node copied or pulled, kept in the data dir so a restarted agent still knows them. Only these are
/// pruned: an image built or loaded on this node (`podman build`, `sched image push`) may be the cluster's only copy,
/// and is never touched. A copy unused (no container of any state uses it) for <c>unusedFor</c> is due.
/// </summary>
public sealed class ImageCopies(string path)
{
    private ImmutableSortedDictionary<string, ImageCopy> _copies = Read(path);

    public static ImageCopies InDataDir(string dataDir) => new(Path.Combine(dataDir, "image-copies.json"));

    public IReadOnlyCollection<ImageCopy> All => [.. _copies.Values];

    public void Copied(string id, string image, string from, DateTimeOffset at) =>
        Save(_copies.SetItem(id, new ImageCopy(id, image, from, at, at)));

    /// <summary>
    /// The copies to remove now: unused since longer than <paramref name="unusedFor"/>. Those that containers use
    /// count as used now; those no longer in the store are forgotten.
    /// </summary>
    public IReadOnlyList<ImageCopy> Due(IReadOnlySet<string> inUse, IReadOnlySet<string> inStore, DateTimeOffset now, TimeSpan unusedFor)
    {
        var kept = _copies.Values.Where(c => inStore.Contains(c.Id))
            .Select(c => inUse.Contains(c.Id) ? c with { LastUsedAt = now } : c)
            .ToImmutableSortedDictionary(c => c.Id, c => c, StringComparer.Ordinal);
        Save(kept);
        return [.. kept.Values.Where(c => now - c.LastUsedAt >= unusedFor)];
    }

    public void Removed(string id) => Save(_copies.Remove(id));

    private void Save(ImmutableSortedDictionary<string, ImageCopy> copies)
    {
        if (copies.Count == _copies.Count && copies.Values.SequenceEqual(_copies.Values))
        {
            return;
        }

        _copies = copies;
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(copies.Values.ToArray()));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A file that cannot be read is started afresh: at worst a copy is kept that could have gone.</summary>
    private static ImmutableSortedDictionary<string, ImageCopy> Read(string path)
    {
        try
        {
            var copies = File.Exists(path) ? JsonSerializer.Deserialize<ImageCopy[]>(File.ReadAllText(path)) ?? [] : [];
            return copies.ToImmutableSortedDictionary(c => c.Id, c => c, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return ImmutableSortedDictionary.Create<string, ImageCopy>(StringComparer.Ordinal);
        }
    }
}
