using Sched.Contracts.Jobs;
using Sched.Scheduler.Decisions.Placement;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>
/// An independent, deliberately naive account of what each node has left while a placement result is replayed:
/// the property test compares the placer against it, not against the placer's own code.
/// </summary>
internal sealed class PlacementModel(ClusterSnapshot cluster)
{
    private readonly Dictionary<string, NodeSnapshot> _nodes = cluster.Nodes.ToDictionary(n => n.Name);
    private readonly Dictionary<string, long> _usedMemory = cluster.Nodes.ToDictionary(n => n.Name, n => n.Allocated.MemoryBytes);
    private readonly Dictionary<string, int> _usedCpus = cluster.Nodes.ToDictionary(n => n.Name, n => n.Allocated.MilliCpus);
    private readonly Dictionary<string, int> _jobShards = cluster.Nodes.ToDictionary(n => n.Name, _ => 0);

    public IEnumerable<string> Names => _nodes.Keys;

    public int Added(string node) => _jobShards[node];

    public long FreeMemory(string node) => _nodes[node].Allocatable.MemoryBytes - _usedMemory[node];

    public int FreeCpus(string node) => _nodes[node].Allocatable.MilliCpus - _usedCpus[node];

    public bool WithinAllocatable(string node) => FreeMemory(node) >= 0 && FreeCpus(node) >= 0;

    public bool Allows(string node, PlacementRules rules)
    {
        var snapshot = _nodes[node];
        return snapshot.Healthy
            && rules.Constraints.All(c => (c.Operator == ConstraintOperator.Equal) == (Attribute(snapshot, c.Attribute) == c.Value))
            && (rules.MaxShardsPerNode is not { } max || snapshot.ShardsOf(RandomClusters.JobId) + _jobShards[node] < max);
    }

    public bool Fits(string node, ShardRequest request) =>
        Allows(node, request.Rules)
        && request.Resources.MemoryBytes <= FreeMemory(node)
        && request.Resources.MilliCpus <= FreeCpus(node);

    public List<string> Feasible(ShardRequest request) => Names.Where(n => Fits(n, request)).ToList();

    public void Take(string node, ShardRequest request)
    {
        _usedMemory[node] += request.Resources.MemoryBytes;
        _usedCpus[node] += request.Resources.MilliCpus;
        _jobShards[node]++;
    }

    private static string? Attribute(NodeSnapshot node, string name) =>
        name == "node" ? node.Name : node.Labels.GetValueOrDefault(name);
}
