using Sched.Contracts.Jobs;

namespace Sched.NodeActor.Runtime;

/// <summary>The container engine of one node, as sched needs it. The podman adapter is the real one.</summary>
public interface IContainerRuntime
{
    /// <summary>Cores, memory and architecture the engine reports for this host. Slow on a busy node (it walks storage).</summary>
    Task<EngineInfo> GetInfoAsync(CancellationToken ct);

    /// <summary>Cheap liveness check of the engine's API; throws when it does not answer.</summary>
    Task PingAsync(CancellationToken ct);

    /// <summary>Creates the container (pulling the image first if it is not present) and returns its id.</summary>
    Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct);

    Task StartAsync(string containerId, CancellationToken ct);

    /// <summary>Completes when the container has exited.</summary>
    Task<ContainerExit> WaitAsync(string containerId, CancellationToken ct);

    /// <summary>Null when no such container exists.</summary>
    Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken ct);

    /// <summary>
    /// Null unless the container (by id or name) exists and is one of this cluster's managed containers: what an agent
    /// checks before it removes a container someone named to it.
    /// </summary>
    Task<ContainerDetails?> InspectManagedAsync(string containerId, CancellationToken ct);

    /// <summary>stdout and stderr of the container, interleaved, as text lines.</summary>
    IAsyncEnumerable<string> LogsAsync(string containerId, bool follow, CancellationToken ct);

    /// <summary>Stops with SIGTERM, then SIGKILL after the grace period. No error if already stopped.</summary>
    Task StopAsync(string containerId, TimeSpan grace, CancellationToken ct);

    /// <summary>Removes the container, killing it if it still runs. No error if it is already gone.</summary>
    Task RemoveAsync(string containerId, CancellationToken ct);

    /// <summary>Every container of this runtime's cluster carrying the label sched.managed=true, in any state.</summary>
    Task<IReadOnlyList<ManagedContainer>> ListManagedAsync(CancellationToken ct);
}

/// <summary>LimitsUnenforceable: why this engine would run a container without its memory or CPU limit, if it would.</summary>
public sealed record EngineInfo(int Cores, long MemoryBytes, string Architecture, string EngineVersion, string? LimitsUnenforceable = null);

public sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, string> Labels,
    long MemoryBytes,
    long NanoCpus,
    long? PidsLimit = null,
    ContainerOptions? Options = null,
    string? PublishAddress = null);

/// <summary>How a container ended. OomKilled is true when the engine says so; exit 137 is judged by the caller.</summary>
public sealed record ContainerExit(long ExitCode, bool OomKilled);

public sealed record ContainerDetails(
    string Id,
    string Name,
    string State,
    bool Running,
    long? ExitCode,
    bool OomKilled,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Env,
    long MemoryBytes,
    long NanoCpus);

public sealed record ManagedContainer(
    string Id,
    string Name,
    string State,
    IReadOnlyDictionary<string, string> Labels);
