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
}
