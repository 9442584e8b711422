namespace Sched.Scheduler.Placement;

/// <summary>
/// A node's free capacity while one placement run is in progress: each shard placed in the run
/// takes from it, so later shards of the same run see what is really left.
/// </summary>
public struct NodeState(NodeSnapshot snapshot)
{
    private Dictionary<string, int>? _added;

    public NodeSnapshot Snapshot { get; } = snapshot;

    public long FreeMemory { get; private set; } = snapshot.FreeMemory;

    public int FreeMilliCpus { get; private set; } = snapshot.FreeMilliCpus;

    public readonly int ShardsOf(string jobId) =>
        Snapshot.ShardsOf(jobId) + (_added is null ? 0 : _added.GetValueOrDefault(jobId));

    public void Take(ShardRequest request)
    {
        FreeMemory -= request.Resources.MemoryBytes;
        FreeMilliCpus -= request.Resources.MilliCpus;
        _added ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _added[request.Id.JobId] = _added.GetValueOrDefault(request.Id.JobId) + 1;
    }
}
