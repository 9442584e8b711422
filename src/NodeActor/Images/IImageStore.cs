using Sched.Contracts.Messages;

namespace Sched.NodeActor.Images;

/// <summary>A node's image store, as image transfer needs it. The podman adapter is the real one.</summary>
public interface IImageStore
{
    /// <summary>Every named image in the store.</summary>
    Task<IReadOnlyList<HeldImage>> ListAsync(CancellationToken ct);

    /// <summary>The image a reference (name, short name or id) resolves to here, or null.</summary>
    Task<HeldImage?> InspectAsync(string reference, CancellationToken ct);

    /// <summary>The image as an archive (docker-archive) that <see cref="LoadAsync"/> on another node can read, streamed.</summary>
    Task<Stream> ExportAsync(string reference, CancellationToken ct);

    /// <summary>Pulls the image from its registry; throws with the engine's words when no registry serves it.</summary>
    Task PullAsync(string reference, CancellationToken ct);

    /// <summary>Loads an archive, read from the stream as it comes; an archive that ends early or fails loads nothing.</summary>
    Task LoadAsync(Stream archive, CancellationToken ct);

    /// <summary>The ids of the images that a container (running or not, of sched or not) uses.</summary>
    Task<IReadOnlySet<string>> InUseAsync(CancellationToken ct);

    /// <summary>
    /// Removes the name while it still names the image <paramref name="id"/> (the image goes with its last name),
    /// else the image by id; never by force: the engine refuses (throws) while a container uses it, or another name holds it.
    /// </summary>
    Task RemoveAsync(string id, string name, CancellationToken ct);
}
