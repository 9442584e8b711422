using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace Sched.NodeActor.Runtime;

/// <summary>
/// What sched asks of podman's native (libpod) API over the unix socket, where the Docker-compatible one says less
/// or is slower.
/// </summary>
internal sealed class LibpodClient : IDisposable
{
    private readonly HttpClient _http;

    public LibpodClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://podman/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Waits until the container is no longer running and returns its exit code, or null when this engine has no
    /// libpod API (plain Docker). A container that was created but never started counts as not running.
    /// </summary>
    public async Task<long?> WaitAsync(string containerId, CancellationToken ct)
    {
        var path = $"v4.0.0/libpod/containers/{Uri.EscapeDataString(containerId)}/wait?condition=stopped&interval=20ms";
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content: null, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode && long.TryParse(body.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var exitCode))
        {
            return exitCode;
        }

        var error = new DockerApiException(response.StatusCode, body);
        if (response.StatusCode == HttpStatusCode.NotFound && !EngineErrors.IsNoSuchContainer(error))
        {
            return null;
        }

        throw error;
    }

    /// <summary>
    /// Why this podman cannot hold a container to its memory and CPU limits, or null when it can (or when this engine
    /// has no libpod API: plain Docker). Rootless podman on cgroup v1 ignores limits with a mere warning, and on
    /// cgroup v2 it can set only the controllers systemd delegated to the user.
    /// </summary>
    public async Task<string?> LimitsUnenforceableAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync(new Uri("v4.0.0/libpod/info", UriKind.Relative), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new DockerApiException(response.StatusCode, body);
        }

        using var info = JsonDocument.Parse(body);
        return LimitSupport.Judge(info.RootElement.GetProperty("host"));
    }

    public void Dispose() => _http.Dispose();
}
