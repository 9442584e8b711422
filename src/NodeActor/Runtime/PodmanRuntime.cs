using Docker.DotNet;
using Docker.DotNet.Models;
using Sched.Contracts;
using Sched.NodeActor.Images;

namespace Sched.NodeActor.Runtime;

/// <summary>
/// The container runtime of a node, over podman's Docker-compatible API on a unix socket (plain Docker works too).
/// Every engine failure surfaces as a <see cref="ContainerRuntimeException"/>. It belongs to one cluster: the containers
/// it creates carry that cluster's id, and it lists only those, so agents of two clusters (or a dev agent) sharing one
/// podman never see each other's containers.
/// </summary>
public sealed class PodmanRuntime : IContainerRuntime, IDisposable
{
    private readonly DockerClientConfiguration _configuration;
    private readonly DockerClient _docker;
    private readonly LibpodClient _libpod;
    private volatile bool _noLibpod;
    private LimitVerdict? _limits;

    /// <param name="registryLogins">Logins for registries that need one; null pulls with the engine's own (root's `podman login`).</param>
    public PodmanRuntime(string socketPath, string clusterId, RegistryAuthFile? registryLogins = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        SocketPath = socketPath;
        ClusterId = clusterId;
        _configuration = new DockerClientConfiguration(new Uri("unix://" + socketPath));
        _docker = _configuration.CreateClient();
        _libpod = new LibpodClient(socketPath);
        RegistryLogins = registryLogins;
        Images = new PodmanImageStore(_docker, registryLogins);
    }

    /// <summary>The same podman's image store, for copying images between nodes.</summary>
    public PodmanImageStore Images { get; }

    public string SocketPath { get; }

    public RegistryAuthFile? RegistryLogins { get; }

    public string ClusterId { get; }

    public Task<EngineInfo> GetInfoAsync(CancellationToken ct) => Guard("reading engine info", async () =>
    {
        var info = await _docker.System.GetSystemInfoAsync(ct);
        var version = await _docker.System.GetVersionAsync(ct);
        // Rootless or not, and the cgroup version, change only with a reboot: asked once (libpod info costs podman
        // about as much as the compatible info, which is read every minute).
        _limits ??= new(await _libpod.LimitsUnenforceableAsync(ct));
        return EngineModelMapping.ToEngineInfo(info, version) with { LimitsUnenforceable = _limits.Reason };
    }, ct);

    public Task PingAsync(CancellationToken ct) => Guard("pinging the engine", async () =>
    {
        await _docker.System.PingAsync(ct);
        return true;
    }, ct);

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parameters = ContainerCreateParameters.From(spec, ClusterId);
        return Guard($"creating container {spec.Name}", async () =>
        {
            try
            {
                return (await _docker.Containers.CreateContainerAsync(parameters, ct)).ID;
            }
            catch (DockerApiException e) when (EngineErrors.IsNoSuchImage(e))
            {
                await ImagePuller.PullAsync(_docker, spec.Image, RegistryLogins, ct);
            }

            try
            {
                return (await _docker.Containers.CreateContainerAsync(parameters, ct)).ID;
            }
            catch (DockerApiException e) when (EngineErrors.IsNoSuchImage(e))
            {
                throw ImagePuller.Unavailable(spec.Image, "the pull succeeded but the engine still does not find it", e);
            }
        }, ct);
    }

    public Task StartAsync(string containerId, CancellationToken ct) => Guard(
        $"starting container {containerId}",
        () => _docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), ct),
        ct);

    /// <summary>
    /// Waits on podman's native endpoint (the compatible one is much slower), or Docker's where there is no libpod
    /// API; then reads exit code and OOM flag from an inspect. A container that was never started throws.
    /// </summary>
    public Task<ContainerExit> WaitAsync(string containerId, CancellationToken ct) => Guard($"waiting for container {containerId}", async () =>
    {
        var exitCode = _noLibpod ? null : await _libpod.WaitAsync(containerId, ct);
        if (exitCode is null)
        {
            _noLibpod = true;
            exitCode = (await _docker.Containers.WaitContainerAsync(containerId, ct)).StatusCode;
        }

        var details = await InspectAsync(containerId, ct);
        if (details is { ExitCode: null })
        {
            throw new ContainerRuntimeException($"container {containerId} was never started, so it has no exit to wait for");
        }

        return new ContainerExit(details?.ExitCode ?? exitCode.Value, details?.OomKilled ?? false);
    }, ct);

    public Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken ct) => Guard($"inspecting container {containerId}", async () =>
    {
        try
        {
            return EngineModelMapping.ToDetails(await _docker.Containers.InspectContainerAsync(containerId, ct));
        }
        catch (DockerApiException e) when (EngineErrors.IsNoSuchContainer(e))
        {
            return null;
        }
    }, ct);

    public async Task<ContainerDetails?> InspectManagedAsync(string containerId, CancellationToken ct) =>
        await InspectAsync(containerId, ct) is { } details
        && details.Labels.GetValueOrDefault(ContainerLabels.Managed) == "true"
        && details.Labels.GetValueOrDefault(ContainerLabels.Cluster) == ClusterId
            ? details
            : null;

    public IAsyncEnumerable<string> LogsAsync(string containerId, bool follow, CancellationToken ct) =>
        ContainerLogLines.ReadAsync(_docker, SocketPath, containerId, follow, ct);

    /// <summary>A container that is already stopped, or gone, is left as it is.</summary>
    public Task StopAsync(string containerId, TimeSpan grace, CancellationToken ct) => Guard($"stopping container {containerId}", async () =>
    {
        var parameters = new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(Math.Max(0, grace.TotalSeconds)) };
        try
        {
            await _docker.Containers.StopContainerAsync(containerId, parameters, ct);
        }
        catch (DockerApiException e) when (EngineErrors.IsNoSuchContainer(e))
        {
        }
    }, ct);

    public Task RemoveAsync(string containerId, CancellationToken ct) => Guard($"removing container {containerId}", async () =>
    {
        try
        {
            await _docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, ct);
        }
        catch (DockerApiException e) when (EngineErrors.IsNoSuchContainer(e))
        {
        }
    }, ct);

    public Task<IReadOnlyList<ManagedContainer>> ListManagedAsync(CancellationToken ct) => Guard("listing managed containers", async () =>
    {
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{ContainerLabels.Managed}=true"] = true,
                    [$"{ContainerLabels.Cluster}={ClusterId}"] = true,
                },
            },
        };
        var containers = await _docker.Containers.ListContainersAsync(parameters, ct);
        return (IReadOnlyList<ManagedContainer>)containers.Select(EngineModelMapping.ToManaged).ToList();
    }, ct);

    public void Dispose()
    {
        _libpod.Dispose();
        _docker.Dispose();
        _configuration.Dispose();
    }

    private Task<T> Guard<T>(string operation, Func<Task<T>> call, CancellationToken ct) =>
        EngineErrors.Guard(SocketPath, operation, call, ct);

    private Task Guard(string operation, Func<Task> call, CancellationToken ct) =>
        EngineErrors.Guard(SocketPath, operation, call, ct);

    private sealed record LimitVerdict(string? Reason);
}
