using System.Collections.Immutable;
using System.Globalization;

namespace Sched.Contracts.Jobs;

/// <summary>
/// The rest of `podman run` a shard's container may get: data in and out, published ports, per-shard arguments and
/// the run options the owner uses. Mount sources, env values and arguments may hold <c>${SHARD}</c> and the other
/// names of <see cref="ShardValues"/>, filled in per shard when the shard is launched.
/// </summary>
public sealed record ContainerOptions(
    ImmutableArray<VolumeMount> Volumes,
    ImmutableArray<PortMapping> Ports,
    ImmutableArray<string> ShardArgs,
    string? Network,
    string? User,
    string? Workdir,
    long? PidsLimit,
    bool ReadOnly,
    ImmutableArray<string> Tmpfs,
    TimeSpan? StopTimeout,
    string? StopSignal,
    ImmutableSortedDictionary<string, string> Labels)
{
    public static readonly ContainerOptions None = new(
        [], [], [], null, null, null, null, false, [], null, null, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    public bool IsNone =>
        Volumes.IsDefaultOrEmpty && Ports.IsDefaultOrEmpty && ShardArgs.IsDefaultOrEmpty && Network is null && User is null
        && Workdir is null && PidsLimit is null && !ReadOnly && Tmpfs.IsDefaultOrEmpty && StopTimeout is null && StopSignal is null
        && (Labels is null || Labels.Count == 0);

    /// <summary>The host ports the shard needs free on its node, the fixed ones, as "18080/tcp".</summary>
    public IEnumerable<string> FixedHostPortKeys =>
        Ports.IsDefault ? [] : Ports.Where(p => p.HostPort is not null).Select(p => $"{p.HostPort!.Value.ToString(CultureInfo.InvariantCulture)}/{p.Protocol}");
}

/// <summary>A bind mount of a host path (Source starts with '/') or a named volume, at Target in the container.</summary>
public sealed record VolumeMount(string Source, string Target, bool ReadOnly)
{
    public bool IsHostPath => Source.StartsWith('/');

    public override string ToString() => $"{Source}:{Target}{(ReadOnly ? ":ro" : "")}";
}

/// <summary>
/// A published container port. HostPort null means a dynamic port, chosen on the node when the shard starts and
/// reported back; a fixed one is a node resource that two shards never share.
/// </summary>
public sealed record PortMapping(int? HostPort, int ContainerPort, string Protocol = PortMapping.Tcp)
{
    public const string Tcp = "tcp";
    public const string Udp = "udp";

    /// <summary>The environment variable that tells the shard its host port: SCHED_PORT_80, SCHED_PORT_53_UDP.</summary>
    public string EnvName => $"SCHED_PORT_{ContainerPort.ToString(CultureInfo.InvariantCulture)}{(Protocol == Tcp ? "" : "_" + Protocol.ToUpperInvariant())}";

    /// <summary>How the container port is named in reports: 80/tcp.</summary>
    public string Key => $"{ContainerPort.ToString(CultureInfo.InvariantCulture)}/{Protocol}";

    /// <summary>As podman writes it: 8080:80, 80, 5353:53/udp.</summary>
    public override string ToString() =>
        (HostPort is { } host ? $"{host.ToString(CultureInfo.InvariantCulture)}:" : "")
        + ContainerPort.ToString(CultureInfo.InvariantCulture)
        + (Protocol == Tcp ? "" : "/" + Protocol);
}
