using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Images;

/// <summary>
/// The image store of a node's podman, over its Docker-compatible API: export is <c>GET /images/{name}/get</c>,
/// load is <c>POST /images/load</c>, both streamed (podman spools a load to its own temp folder, not to memory).
/// </summary>
public sealed class PodmanImageStore(DockerClient docker, RegistryAuthFile? registryLogins = null) : IImageStore
{
    /// <summary>The image list has no architecture; an id's architecture never changes, so it is asked once.</summary>
    private readonly ConcurrentDictionary<string, string> _architectureById = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<HeldImage>> ListAsync(CancellationToken ct)
    {
        var images = await docker.Images.ListImagesAsync(new ImagesListParameters(), ct);
        var held = new List<HeldImage>();
        foreach (var image in images.Where(i => Names(i.RepoTags).Length > 0))
        {
            if (!_architectureById.TryGetValue(image.ID, out var architecture))
            {
                architecture = (await InspectAsync(image.ID, ct))?.Architecture ?? "unknown";
                _architectureById[image.ID] = architecture;
            }

            held.Add(new HeldImage(image.ID, Names(image.RepoTags), architecture, image.Size));
        }

        return held;
    }

    public async Task<HeldImage?> InspectAsync(string reference, CancellationToken ct)
    {
        try
        {
            var image = await docker.Images.InspectImageAsync(reference, ct);
            return new HeldImage(image.ID, Names(image.RepoTags), EngineModelMapping.NormaliseArchitecture(image.Architecture), image.Size);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<Stream> ExportAsync(string reference, CancellationToken ct) => docker.Images.SaveImageAsync(reference, ct);

    public async Task<IReadOnlySet<string>> InUseAsync(CancellationToken ct)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct);
        return containers.Select(c => c.ImageID).ToHashSet(StringComparer.Ordinal);
    }

    public async Task RemoveAsync(string id, string name, CancellationToken ct)
    {
        var named = await InspectAsync(name, ct);
        await docker.Images.DeleteImageAsync(named?.Id == id ? name : id, new ImageDeleteParameters { Force = false }, ct);
    }

    public Task PullAsync(string reference, CancellationToken ct) => ImagePuller.PullAsync(docker, reference, registryLogins, ct);

    public async Task LoadAsync(Stream archive, CancellationToken ct)
    {
        var progress = new LoadErrors();
        await docker.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, archive, progress, ct);
        if (progress.Error is { } error)
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.ImageUnavailable, $"podman did not load the image: {error}");
        }
    }

    private static ImmutableArray<string> Names(IList<string>? tags) =>
        [.. (tags ?? []).Where(t => !string.IsNullOrEmpty(t) && !t.Contains("<none>", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>A load can answer 200 and report its failure in the message stream.</summary>
    private sealed class LoadErrors : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            var error = value.Error?.Message ?? value.ErrorMessage;
            if (!string.IsNullOrWhiteSpace(error))
            {
                Error = error;
            }
        }
    }
}
