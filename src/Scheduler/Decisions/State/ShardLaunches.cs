using System.Collections.Immutable;
using System.Globalization;
using Sched.Contracts;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>Builds what a node needs to start one attempt: the environment and labels every shard gets.</summary>
public static class ShardLaunches
{
    public static RunShard For(JobRecord job, ShardAttemptId id, string node)
    {
        var spec = job.Spec;
        var env = spec.Env
            .SetItem("SHARD", Text(id.Shard))
            .SetItem("SHARD_INDEX", Text(id.Shard - 1))
            .SetItem("SHARD_COUNT", Text(spec.Shards))
            .SetItem("SCHED_JOB", job.Id)
            .SetItem("SCHED_NODE", node);
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Job] = job.Id,
            [ContainerLabels.Shard] = Text(id.Shard),
            [ContainerLabels.Attempt] = Text(id.Attempt),
        });
        return new RunShard(id, spec.Image, spec.Command, env, labels, spec.Resources.MemoryBytes, spec.Resources.MilliCpus);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
