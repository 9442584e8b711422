using Docker.DotNet.Models;
using Sched.Contracts;

namespace Sched.NodeActor.Runtime;

/// <summary>The engine's create request for a <see cref="ContainerSpec"/>, with sched's container defaults.</summary>
/// <remarks>
/// No ulimits are set: where podman's defaults fail (a low hard nofile limit), containers.conf holds the fix
/// (deploy/lib/install-podman.sh writes it), and elsewhere containers keep the engine's own defaults.
/// Capabilities are the engine's default set, never added to; no container is privileged or shares a host namespace.
/// </remarks>
internal static class ContainerCreateParameters
{
    /// <summary>podman's own default, stated so that it holds under Docker or a containers.conf without one.</summary>
    public const long DefaultPidsLimit = 2048;

    public const string NoNewPrivileges = "no-new-privileges";

    public static CreateContainerParameters From(ContainerSpec spec, string clusterId) => new()
    {
        Name = spec.Name,
        Image = spec.Image,
        Cmd = spec.Command.Count > 0 ? spec.Command.ToList() : null,
        Env = spec.Env.Select(e => $"{e.Key}={e.Value}").ToList(),
        Labels = new Dictionary<string, string>(spec.Labels) { [ContainerLabels.Cluster] = clusterId },
        HostConfig = new HostConfig
        {
            Memory = spec.MemoryBytes,
            // Swap counts against the limit, so a shard's memory is what placement reserved for it.
            MemorySwap = spec.MemoryBytes,
            NanoCPUs = spec.NanoCpus,
            PidsLimit = spec.PidsLimit ?? DefaultPidsLimit,
            SecurityOpt = [NoNewPrivileges],
            Privileged = false,
        },
    };
}
