using System.Collections.Immutable;
using System.Globalization;
using Sched.Contracts;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// Builds what a node needs to start one attempt: the environment and labels every shard gets, the shard's own
/// line of shardArgs, and the shard's values (<see cref="ShardValues"/>) filled into env values, arguments and mount sources.
/// </summary>
public static class ShardLaunches
{
    public static RunShard For(JobRecord job, ShardAttemptId id, string node)
    {
        var spec = job.Spec;
        var values = ShardValues.For(job.Id, id.Shard, spec.Shards, node);
        var env = spec.Env
            .Select(pair => KeyValuePair.Create(pair.Key, ShardValues.Interpolate(pair.Value, values)))
            .ToImmutableSortedDictionary(StringComparer.Ordinal)
            .SetItems(values);
        var labels = spec.ContainerOrNone.Labels.WithComparers(StringComparer.Ordinal).SetItems(new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Job] = job.Id,
            [ContainerLabels.Shard] = Text(id.Shard),
            [ContainerLabels.Attempt] = Text(id.Attempt),
        });
        var command = spec.Command.AddRange(ShardLine(spec, id.Shard)).Select(part => ShardValues.Interpolate(part, values)).ToImmutableArray();
        return new RunShard(id, spec.Image, command, env, labels, spec.Resources.MemoryBytes, spec.Resources.MilliCpus, ContainerFor(spec, values), spec.Timeout);
    }

    /// <summary>The shard's line of shardArgs, split at whitespace into arguments (no quoting, as HTCondor's queue from file).</summary>
    private static IEnumerable<string> ShardLine(JobSpec spec, int shard)
    {
        var lines = spec.ContainerOrNone.ShardArgs;
        return lines.IsDefaultOrEmpty || shard > lines.Length
            ? []
            : lines[shard - 1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// The run options with this shard's mount sources. The per-shard lines are already in the command and the
    /// labels in the message's own labels: neither travels twice.
    /// </summary>
    private static ContainerOptions? ContainerFor(JobSpec spec, IReadOnlyDictionary<string, string> values) =>
        spec.Container is not { } options
            ? null
            : options with
            {
                ShardArgs = [],
                Labels = ContainerOptions.None.Labels,
                Volumes = [.. options.Volumes.Select(v => v with { Source = ShardValues.Interpolate(v.Source, values) })],
            };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
