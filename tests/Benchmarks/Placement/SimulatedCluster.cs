using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Benchmarks.Placement;

/// <summary>
/// A cluster of Odroid-like nodes as the scheduler's node registry holds it: each node reported 4 cpus and
/// 3.5 GiB, minus the default reservation (0.5 cpu, 512Mi), so 3.5 cpus and 3 GiB allocatable.
/// </summary>
public static class SimulatedCluster
{
    public const long Mi = 1L << 20;
    public const long Gi = 1L << 30;

    public static readonly NodeCapacity Total = new(4000, 3584 * Mi);
    public static readonly NodeCapacity Allocatable = new(3500, 3 * Gi);

    /// <summary>The smallest shard a manifest may ask for in memory is 6Mi; these are small service-like shards.</summary>
    public static readonly ShardResources Shard = new(16 * Mi, 10);

    public static NodeRegistry Registry(int nodes, DateTimeOffset now)
    {
        var labels = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("arch", "arm64");
        var registry = NodeRegistry.Empty;
        for (var i = 1; i <= nodes; i++)
        {
            var name = $"node{i:D4}";
            registry = registry.Report(
                new RegisterNode(name, $"akka.tcp://sched@{name}.local:4053", Total, Allocatable, labels, true, null), now);
        }

        return registry;
    }

    /// <summary>How many of these shards the cluster can hold at once (memory is the limit: 192 a node).</summary>
    public static long Capacity(int nodes) =>
        nodes * Math.Min(Allocatable.MemoryBytes / Shard.MemoryBytes, Allocatable.MilliCpus / Shard.MilliCpus);

    public static JobSpec Job(int shards) =>
        new(
            "bench",
            "my-processor:latest",
            [],
            ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
            shards,
            JobType.Service,
            Shard,
            new RestartPolicy(RestartMode.OnFailure, 3, TimeSpan.FromSeconds(2)),
            new PlacementRules(PlacementStrategy.Spread, null, []));
}
