using System.Globalization;
using Docker.DotNet.Models;
using Sched.Contracts;
using Sched.Contracts.Jobs;

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

    public static CreateContainerParameters From(ContainerSpec spec, string clusterId)
    {
        var options = spec.Options ?? ContainerOptions.None;
        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Cmd = spec.Command.Count > 0 ? spec.Command.ToList() : null,
            Env = spec.Env.Select(e => $"{e.Key}={e.Value}").ToList(),
            Labels = new Dictionary<string, string>(spec.Labels) { [ContainerLabels.Cluster] = clusterId },
            User = options.User,
            WorkingDir = options.Workdir,
            StopSignal = options.StopSignal,
            StopTimeout = options.StopTimeout is { } timeout ? TimeSpan.FromSeconds(Math.Ceiling(timeout.TotalSeconds)) : null,
            HostConfig = new HostConfig
            {
                Memory = spec.MemoryBytes,
                // Swap counts against the limit, so a shard's memory is what placement reserved for it.
                MemorySwap = spec.MemoryBytes,
                NanoCPUs = spec.NanoCpus,
                PidsLimit = options.PidsLimit ?? spec.PidsLimit ?? DefaultPidsLimit,
                SecurityOpt = [NoNewPrivileges],
                Privileged = false,
                ReadonlyRootfs = options.ReadOnly,
                NetworkMode = options.Network,
                Binds = options.Volumes.IsDefaultOrEmpty ? null : options.Volumes.Select(v => v.ToString()).ToList(),
                Tmpfs = options.Tmpfs.IsDefaultOrEmpty ? null : options.Tmpfs.ToDictionary(t => t.Split(':', 2)[0], t => t.Contains(':', StringComparison.Ordinal) ? t.Split(':', 2)[1] : ""),
            },
        };
        Publish(parameters, options, spec.PublishAddress);
        return parameters;
    }

    /// <summary>Every port is published with its host port already chosen (a dynamic one by the agent).</summary>
    private static void Publish(CreateContainerParameters parameters, ContainerOptions options, string? address)
    {
        if (options.Ports.IsDefaultOrEmpty)
        {
            return;
        }

        parameters.ExposedPorts = options.Ports.ToDictionary(p => p.Key, _ => default(EmptyStruct));
        parameters.HostConfig.PortBindings = options.Ports.ToDictionary(
            p => p.Key,
            p => (IList<PortBinding>)[new PortBinding
            {
                HostIP = address ?? "",
                HostPort = p.HostPort?.ToString(CultureInfo.InvariantCulture) ?? "",
            }]);
    }
}
