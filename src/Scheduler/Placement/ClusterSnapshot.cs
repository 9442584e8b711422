using System.Collections.Immutable;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Placement;

/// <summary>One node as placement sees it at one instant.</summary>
public sealed record NodeSnapshot(
    string Name,
    ImmutableSortedDictionary<string, string> Labels,
    bool Healthy,
    string? HealthReason,
    NodeCapacity Allocatable,
    NodeCapacity Allocated,
    ImmutableDictionary<string, int> ShardsByJob)
{
    public long FreeMemory => Allocatable.MemoryBytes - Allocated.MemoryBytes;

    public int FreeMilliCpus => Allocatable.MilliCpus - Allocated.MilliCpus;

    public int ShardsOf(string jobId) => ShardsByJob.GetValueOrDefault(jobId);

    /// <summary>The value of a constraint attribute: the node name, or a label.</summary>
    public string? Attribute(string name) => name == "node" ? Name : Labels.GetValueOrDefault(name);
}

/// <summary>The whole cluster at one instant, in a stable order so placement is deterministic.</summary>
public sealed record ClusterSnapshot(ImmutableArray<NodeSnapshot> Nodes)
{
    public static ClusterSnapshot Of(IEnumerable<NodeSnapshot> nodes)
    {
        var array = nodes.ToImmutableArray();
        return new(IsSorted(array) ? array : array.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name)));
    }

    /// <summary>The node registry already keeps its nodes in this order: then there is nothing to sort.</summary>
    private static bool IsSorted(ImmutableArray<NodeSnapshot> nodes)
    {
        for (var i = 1; i < nodes.Length; i++)
        {
            if (string.CompareOrdinal(nodes[i - 1].Name, nodes[i].Name) > 0)
            {
                return false;
            }
        }

        return true;
    }
}
