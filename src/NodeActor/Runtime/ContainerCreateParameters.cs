using Docker.DotNet.Models;

namespace Sched.NodeActor.Runtime;

/// <summary>The engine's create request for a <see cref="ContainerSpec"/>.</summary>
/// <remarks>
/// No ulimits are set: where podman's defaults fail (a low hard nofile limit), containers.conf holds the fix
/// (deploy/lib/install-podman.sh writes it), and elsewhere containers keep the engine's own defaults.
/// </remarks>
internal static class ContainerCreateParameters
{
    public static CreateContainerParameters From(ContainerSpec spec) => new()
    {
        Name = spec.Name,
        Image = spec.Image,
        Cmd = spec.Command.Count > 0 ? spec.Command.ToList() : null,
        Env = spec.Env.Select(e => $"{e.Key}={e.Value}").ToList(),
        Labels = new Dictionary<string, string>(spec.Labels),
        HostConfig = new HostConfig
        {
            Memory = spec.MemoryBytes,
            // Swap counts against the limit, so a shard's memory is what placement reserved for it.
            MemorySwap = spec.MemoryBytes,
            NanoCPUs = spec.NanoCpus,
        },
    };
}
