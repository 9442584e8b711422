using Docker.DotNet;
using Docker.DotNet.Models;

namespace Sched.NodeActor.Runtime;

/// <summary>Pulls an image that a container needs and this node does not have.</summary>
internal static class ImagePuller
{
    /// <summary>Throws <see cref="ContainerRuntimeFailure.ImageUnavailable"/> when the engine cannot pull it.</summary>
    public static async Task PullAsync(DockerClient docker, string image, RegistryAuthFile? logins, CancellationToken ct)
    {
        var (repository, tag) = ImageReference.Split(image);
        var progress = new LastError();
        AuthConfig? login;
        try
        {
            login = logins?.For(image);
        }
        catch (RegistryAuthException e)
        {
            throw Unavailable(image, e.Message, e);
        }

        try
        {
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, login, progress, ct);
        }
        catch (DockerApiException e)
        {
            throw Unavailable(image, WithLoginHint(EngineErrors.EngineMessage(e), image, logins, login), e);
        }

        if (progress.Message is { } error)
        {
            throw Unavailable(image, WithLoginHint(error, image, logins, login), null);
        }
    }

    /// <summary>A registry that refused the pull for want of a login says so in the engine's words; this says what to do.</summary>
    private static string WithLoginHint(string error, string image, RegistryAuthFile? logins, AuthConfig? login)
    {
        var refused = new[] { "authentication required", "unauthorized", "denied" }.Any(word => error.Contains(word, StringComparison.OrdinalIgnoreCase));
        var registry = RegistryAuthFile.Target(image).Split('/')[0];
        return !refused ? error
            : logins is null ? $"{error}; if {registry} needs a login, give the agents --registry-auth FILE, written by `podman login --authfile FILE {registry}`"
            : login is null ? $"{error}; {logins.Path} has no login for {registry}: `podman login --authfile {logins.Path} {registry}`"
            : $"{error}; {registry} refused the login for user {login.Username} in {logins.Path}";
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
