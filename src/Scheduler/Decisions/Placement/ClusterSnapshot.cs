using System.Collections.Immutable;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.Placement;

/// <summary>One node as placement sees it at one instant. HostPorts counts the shards holding each fixed host port ("18080/tcp").</summary>
public sealed record NodeSnapshot(
    string Name,
    ImmutableSortedDictionary<string, string> Labels,
    bool Healthy,
    string? HealthReason,
    NodeCapacity Allocatable,
    NodeCapacity Allocated,
    ImmutableDictionary<string, int> ShardsByJob,
    ImmutableDictionary<string, int>? HostPorts = null)
{
    public long FreeMemory => Allocatable.MemoryBytes - Allocated.MemoryBytes;

    public int FreeMilliCpus => Allocatable.MilliCpus - Allocated.MilliCpus;

    public int ShardsOf(string jobId) => ShardsByJob.GetValueOrDefault(jobId);

    public bool HostPortInUse(string port) => HostPorts?.GetValueOrDefault(port) > 0;

    /// <summary>The value of a constraint attribute: the node name, or a label.</summary>
    public string? Attribute(string name) => name == "node" ? Name : Labels.GetValueOrDefault(name);
}

/// <summary>
/// The whole cluster at one instant, in a stable order (by name) so placement is deterministic. A node is built
/// only when placement first looks at it: on a large cluster a round looks at a few nodes, not all of them.
/// </summary>
public sealed class ClusterSnapshot
{
    private static long _lastOneOff;
    private readonly Func<int, NodeSnapshot> _node;

    private ClusterSnapshot(int count, Func<int, NodeSnapshot> node, long generation)
    {
        Count = count;
        _node = node;
        Generation = generation;
    }

    public int Count { get; }

    /// <summary>
    /// Changes whenever a node may have gained room (joined, came back, grew, turned healthy): until it changes,
    /// a shard that fitted nowhere still fits nowhere, unless a shard has left a node since.
    /// </summary>
    public long Generation { get; }

    /// <summary>Every node, built now.</summary>
    public ImmutableArray<NodeSnapshot> Nodes => [.. Enumerable.Range(0, Count).Select(_node)];

    /// <summary>A cluster of nodes built beforehand. It counts as new: placement offers every waiting shard again.</summary>
    public static ClusterSnapshot Of(IEnumerable<NodeSnapshot> nodes)
    {
        var array = nodes.ToArray();
        Array.Sort(array, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new(array.Length, i => array[i], -Interlocked.Increment(ref _lastOneOff));
    }

    /// <summary>A cluster whose node at an index (ordered by name) is built on demand, from a registry of this generation.</summary>
    public static ClusterSnapshot Lazy(int count, Func<int, NodeSnapshot> node, long generation) => new(count, node, generation);

    public NodeSnapshot Node(int index) => _node(index);
}
