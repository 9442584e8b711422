using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace Sched.NodeActor.Runtime;

/// <summary>Turns what Docker.DotNet and the socket throw into a <see cref="ContainerRuntimeException"/> a person can read.</summary>
internal static partial class EngineErrors
{
    /// <summary>Runs one engine call; cancellation by the caller passes through unchanged.</summary>
    public static async Task<T> Guard<T>(string socketPath, string operation, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not ContainerRuntimeException && !ct.IsCancellationRequested)
        {
            throw Translate(socketPath, operation, e);
        }
    }

    public static Task Guard(string socketPath, string operation, Func<Task> call, CancellationToken ct) =>
        Guard(socketPath, operation, async () => { await call(); return true; }, ct);

    private static ContainerRuntimeException Translate(string socketPath, string operation, Exception e) => e switch
    {
        DockerApiException api when IsNoSuchContainer(api) =>
            new(ContainerRuntimeFailure.NoSuchContainer, $"{operation}: no such container ({EngineMessage(api)})", e),
        DockerApiException api when CommandProblem(api) is { } problem => new(ContainerRuntimeFailure.CommandNotRunnable, problem, e),
        DockerApiException api => new(ContainerRuntimeFailure.Engine, Describe(operation, api), e),
        _ when IsUnreachable(e) => Unreachable(socketPath, e),
        _ => new(ContainerRuntimeFailure.Engine, $"{operation} failed: {e.Message}", e),
    };

    public static bool IsNoSuchContainer(DockerApiException e) =>
        e is DockerContainerNotFoundException ||
        (e.StatusCode == HttpStatusCode.NotFound && Body(e).Contains("no such container", StringComparison.OrdinalIgnoreCase));

    public static bool IsNoSuchImage(DockerApiException e) =>
        e is DockerImageNotFoundException ||
        (e.StatusCode == HttpStatusCode.NotFound &&
         (Body(e).Contains("no such image", StringComparison.OrdinalIgnoreCase) ||
          Body(e).Contains("image not known", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The engine's own message from a JSON error body, or the body itself.</summary>
    public static string EngineMessage(DockerApiException e)
    {
        var body = Body(e).Trim();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object &&
                json.RootElement.TryGetProperty("message", out var message) &&
                message.ValueKind == JsonValueKind.String)
            {
                return message.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 0 ? body : e.StatusCode.ToString();
    }

    /// <summary>
    /// What podman says when the OCI runtime (runc or crun) could not run the container's command, in a few words
    /// (<c>command "nosuch" not found</c>); null for any other error.
    /// </summary>
    public static string? CommandProblem(DockerApiException e)
    {
        var message = EngineMessage(e);
        var notFound = message.Contains("a command that was not found", StringComparison.OrdinalIgnoreCase)
            || message.Contains("executable file not found", StringComparison.OrdinalIgnoreCase);
        if (!notFound && !message.Contains("OCI permission denied", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var named = CommandInMessage().Match(message);
        var command = named.Success ? $"command \"{named.Groups["command"].Value}\"" : "the command";
        return notFound ? $"{command} not found" : $"{command} is not executable";
    }

    [System.Text.RegularExpressions.GeneratedRegex("exec: \"(?<command>[^\"]+)\"|executable file `(?<command>[^`]+)`")]
    private static partial System.Text.RegularExpressions.Regex CommandInMessage();

    private static string Describe(string operation, DockerApiException e)
    {
        var message = $"{operation} failed: {EngineMessage(e)} (HTTP {(int)e.StatusCode})";
        return Body(e).Contains("rlimit", StringComparison.OrdinalIgnoreCase)
            ? message + ". podman cannot apply its default ulimits on this host: set `default_ulimits = []` under " +
              "[containers] in /etc/containers/containers.conf (deploy/lib/install-podman.sh does this)."
            : message;
    }

    // Docker.DotNet is not annotated for nullability.
    private static string Body(DockerApiException e) => e.ResponseBody ?? "";

    private static bool IsUnreachable(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException or HttpRequestException or IOException or TimeoutException or TaskCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    private static ContainerRuntimeException Unreachable(string socketPath, Exception e) => new(
        ContainerRuntimeFailure.EngineUnreachable,
        $"podman API socket {socketPath} is not answering: " +
        (File.Exists(socketPath) ? Innermost(e).Message : "the socket file does not exist") + ". Start it with " +
        "`systemctl start podman.socket` or `podman system service --time=0 unix://" + socketPath + "`.",
        e);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
