using System.Collections.Concurrent;
using Sched.Contracts.Images;
using Sched.Contracts.Messages;
using Sched.NodeActor.Images;

namespace Sched.Tests.Fakes;

/// <summary>An in-memory image store for actor tests: it holds what the test adds; nothing can be pulled, exported or loaded.</summary>
public sealed class FakeImageStore : IImageStore
{
    private readonly ConcurrentDictionary<string, HeldImage> _images = new(StringComparer.Ordinal);

    public HeldImage Add(string name, string architecture = "arm64")
    {
        var image = new HeldImage($"sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))}", [name], architecture, 1024);
        _images[image.Id] = image;
        return image;
    }

    public Task<IReadOnlyList<HeldImage>> ListAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<HeldImage>>([.. _images.Values]);

    public Task<HeldImage?> InspectAsync(string reference, CancellationToken ct) =>
        Task.FromResult(_images.Values.FirstOrDefault(i => ImageNames.Matches(reference, i.Id, i.Names)));

    public Task<Stream> ExportAsync(string reference, CancellationToken ct) =>
        throw new InvalidOperationException($"this test's store exports nothing (asked for {reference})");

    public Task PullAsync(string reference, CancellationToken ct) =>
        throw new InvalidOperationException($"this test's store has no registry (asked for {reference})");

    public Task LoadAsync(Stream archive, CancellationToken ct) =>
        throw new InvalidOperationException("this test's store loads nothing");

    /// <summary>Ids that containers use, as the test sets them.</summary>
    public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlySet<string>> InUseAsync(CancellationToken ct) => Task.FromResult<IReadOnlySet<string>>(Used.ToHashSet(StringComparer.Ordinal));

    public Task RemoveAsync(string id, string name, CancellationToken ct)
    {
        if (Used.Contains(id))
        {
            throw new InvalidOperationException($"image {id} is in use by a container");
        }

        _images.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}
