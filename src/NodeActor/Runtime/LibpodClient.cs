using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet;

namespace Sched.NodeActor.Runtime;

/// <summary>
/// podman's native wait endpoint over the unix socket. It polls every 20 ms and answers about twice as fast as the
/// Docker-compatible wait, which is most of the latency of a short container.
/// </summary>
internal sealed class LibpodWaitClient : IDisposable
{
    private readonly HttpClient _http;

    public LibpodWaitClient(string socketPath)
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

    public void Dispose() => _http.Dispose();
}
