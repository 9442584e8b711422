using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Sched.Contracts.Jobs;

namespace Sched.NodeActor.Agent;

/// <summary>
/// What a shard needs of its node before its container is created: a host port for each dynamic port, and the
/// sources of its bind mounts. A missing read-write source directory is created (an output directory per shard,
/// /data/out/${SHARD}, need not be made beforehand); a missing read-only source is refused, since an empty input
/// would hide the mistake.
/// </summary>
public static class ShardHostSetup
{
    /// <summary>The options with every dynamic port given a host port that is free on this node now.</summary>
    public static ContainerOptions WithHostPorts(ContainerOptions options, IPAddress? address) =>
        options.Ports.IsDefaultOrEmpty || options.Ports.All(p => p.HostPort is not null)
            ? options
            : options with { Ports = [.. options.Ports.Select(p => p with { HostPort = p.HostPort ?? FreePort(p.Protocol, address) })] };

    /// <summary>SCHED_PORT_80=34567 for each published port, so the shard knows where it is reached.</summary>
    public static IEnumerable<KeyValuePair<string, string>> PortEnv(ContainerOptions options) =>
        options.Ports.IsDefaultOrEmpty
            ? []
            : options.Ports.Select(p => KeyValuePair.Create(p.EnvName, p.HostPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static ImmutableSortedDictionary<string, int>? PortReport(ContainerOptions options) =>
        options.Ports.IsDefaultOrEmpty
            ? null
            : options.Ports.ToImmutableSortedDictionary(p => p.Key, p => p.HostPort!.Value, StringComparer.Ordinal);

    /// <summary>
    /// The ports of a container created before (by an agent that stopped before it reported the start), read back
    /// from the SCHED_PORT_* variables that container was given: its dynamic ports were chosen then, not now.
    /// </summary>
    public static ImmutableSortedDictionary<string, int>? PortReport(ContainerOptions options, IEnumerable<string> containerEnv)
    {
        if (options.Ports.IsDefaultOrEmpty)
        {
            return null;
        }

        var env = containerEnv
            .Select(e => e.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        var ports = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var port in options.Ports)
        {
            if (port.HostPort is { } fixedPort)
            {
                ports[port.Key] = fixedPort;
            }
            else if (env.TryGetValue(port.EnvName, out var value) && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var chosen))
            {
                ports[port.Key] = chosen;
            }
        }

        return ports.Count == 0 ? null : ports.ToImmutable();
    }

    /// <summary>
    /// Null when every bind-mount source is there (or was made) and, with its symbolic links followed, still lies
    /// under the allowed roots; else why the shard cannot start.
    /// </summary>
    public static string? PrepareMounts(ContainerOptions options, IReadOnlyCollection<string> allowedRoots)
    {
        foreach (var volume in options.Volumes.Where(v => v.IsHostPath && !Path.Exists(v.Source)))
        {
            if (volume.ReadOnly)
            {
                return $"host path {volume.Source} of volume {volume} does not exist; a read-only source must exist on the node";
            }

            try
            {
                Directory.CreateDirectory(volume.Source);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"host path {volume.Source} of volume {volume} does not exist and cannot be made: {e.Message}";
            }
        }

        foreach (var volume in options.Volumes.Where(v => v.IsHostPath))
        {
            var real = RealPath(volume.Source);
            if (real != volume.Source && HostPaths.Refusal(real, allowedRoots) is { } refusal)
            {
                return $"volume {volume}: {volume.Source} leads to {real} through a symbolic link: {refusal}";
            }
        }

        return null;
    }

    /// <summary>The path with every symbolic link in it followed, as the kernel does when podman mounts it.</summary>
    private static string RealPath(string path, int depth = 0)
    {
        var resolved = "/";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(resolved, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is not null && depth < 40)
            {
                next = RealPath(Path.GetFullPath(target, resolved), depth + 1);
            }

            resolved = next;
        }

        return resolved;
    }

    /// <summary>
    /// A port the kernel hands out as free, released at once for podman to bind. Another process may take it in
    /// between; then the start fails and the shard is placed again, as for any failed start.
    /// </summary>
    private static int FreePort(string protocol, IPAddress? address)
    {
        var bindTo = new IPEndPoint(address ?? IPAddress.Any, 0);
        using var socket = protocol == PortMapping.Udp
            ? new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(bindTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(bindTo);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>What the node lets its shards have of the host: the address ports bind to, the roots of mountable host paths.</summary>
public sealed record ShardHost(IPAddress? PublishAddress, IReadOnlyCollection<string> AllowedHostPaths)
{
    public static readonly ShardHost Default = new(null, []);
}
