using Docker.DotNet;
using Docker.DotNet.Models;

namespace Sched.NodeActor.Runtime;

/// <summary>Pulls an image that a container needs and this node does not have.</summary>
internal static class ImagePuller
{
    /// <summary>Throws <see cref="ContainerRuntimeFailure.ImageUnavailable"/> when the engine cannot pull it.</summary>
    public static async Task PullAsync(DockerClient docker, string image, CancellationToken ct)
    {
        var (repository, tag) = ImageReference.Split(image);
        var progress = new LastError();
        try
        {
            await docker.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = repository, Tag = tag }, authConfig: null, progress, ct);
        }
        catch (DockerApiException e)
        {
            throw Unavailable(image, EngineErrors.EngineMessage(e), e);
        }

        if (progress.Message is { } error)
        {
            throw Unavailable(image, error, null);
        }
    }

    public static ContainerRuntimeException Unavailable(string image, string reason, Exception? inner) => new(
        ContainerRuntimeFailure.ImageUnavailable,
        $"image {image} is not present on this node and could not be pulled: {reason}",
        inner);

    /// <summary>Keeps the last error the pull stream reported; the HTTP status of a failed pull can still be 200.</summary>
    private sealed class LastError : IProgress<JSONMessage>
    {
        public string? Message { get; private set; }

        public void Report(JSONMessage value)
        {
            var error = value.Error?.Message ?? value.ErrorMessage;
            if (!string.IsNullOrWhiteSpace(error))
            {
                Message = error;
            }
        }
    }
}
