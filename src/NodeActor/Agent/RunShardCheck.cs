using System.Collections.Immutable;
using System.Globalization;
using Sched.Contracts;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.NodeActor.Agent;

/// <summary>
/// What the agent checks of a <see cref="RunShard"/> itself, whoever sent it: a container without limits is never
/// started, no host path outside the agent's --allow-host-path roots is mounted, no shard joins the host's network,
/// and the labels that make a container sched's are the agent's, not the message's.
/// </summary>
public static class RunShardCheck
{
    public const int MaxEnvEntries = 1000;
    public const int MaxEnvBytes = 256 * 1024;

    /// <summary>Null when the shard may start, else why not, in words.</summary>
    public static string? Refusal(RunShard run, IReadOnlyCollection<string>? allowedHostPaths = null)
    {
        if (run.Container is { } container && ContainerRefusal(container, allowedHostPaths ?? []) is { } refused)
        {
            return refused;
        }

        if (run.MemoryBytes <= 0)
        {
            return $"refused: memory limit {run.MemoryBytes} bytes; a shard needs a limit above 0";
        }

        if (run.MilliCpus <= 0)
        {
            return $"refused: CPU limit {run.MilliCpus} millicpus; a shard needs a limit above 0";
        }

        if (string.IsNullOrWhiteSpace(run.Image))
        {
            return "refused: no image";
        }

        var envBytes = run.Env.Sum(e => e.Key.Length + e.Value.Length);
        return run.Env.Count > MaxEnvEntries || envBytes > MaxEnvBytes
            ? $"refused: environment of {run.Env.Count} entries, {envBytes} bytes; at most {MaxEnvEntries} entries, {MaxEnvBytes} bytes"
            : null;
    }

    private static string? ContainerRefusal(ContainerOptions container, IReadOnlyCollection<string> allowedHostPaths)
    {
        foreach (var volume in container.Volumes.Where(v => v.IsHostPath))
        {
            if (HostPaths.Refusal(volume.Source, allowedHostPaths) is { } refusal)
            {
                return $"refused: volume {volume}: {refusal}";
            }
        }

        return container.Network == "host"
            ? "refused: network host would share the host's network namespace"
            : null;
    }

    /// <summary>The message's own labels without any sched.* key, then sched's, made from the attempt id.</summary>
    public static ImmutableSortedDictionary<string, string> Labels(RunShard run) =>
        run.Labels
            .Where(label => !label.Key.StartsWith(ContainerLabels.Prefix, StringComparison.Ordinal))
            .ToImmutableSortedDictionary(StringComparer.Ordinal)
            .SetItem(ContainerLabels.Managed, "true")
            .SetItem(ContainerLabels.Job, run.Id.JobId)
            .SetItem(ContainerLabels.Shard, run.Id.Shard.ToString(CultureInfo.InvariantCulture))
            .SetItem(ContainerLabels.Attempt, run.Id.Attempt.ToString(CultureInfo.InvariantCulture));
}
