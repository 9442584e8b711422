namespace Sched.Scheduler.Decisions.Placement;

/// <summary>
/// A node's free capacity while one placement run is in progress: each shard placed in the run
/// takes from it, so later shards of the same run see what is really left.
/// </summary>
public sealed class NodeState(NodeSnapshot snapshot)
{
    private Dictionary<string, int>? _added;
    private HashSet<string>? _portsTaken;
    private string? _countedJob;
    private int _counted;

    public NodeSnapshot Snapshot { get; } = snapshot;

    public long FreeMemory { get; private set; } = snapshot.FreeMemory;

    public int FreeMilliCpus { get; private set; } = snapshot.FreeMilliCpus;

    /// <summary>The job's shards here. A run asks this of the same job again and again: the snapshot is asked once.</summary>
    public int ShardsOf(string jobId)
    {
        if (!string.Equals(jobId, _countedJob, StringComparison.Ordinal))
        {
            _countedJob = jobId;
            _counted = Snapshot.ShardsOf(jobId);
        }

        return _counted + (_added is null ? 0 : _added.GetValueOrDefault(jobId));
    }

    /// <summary>Whether a shard on the node, or one placed on it in this run, holds the host port.</summary>
    public bool HostPortInUse(string port) => Snapshot.HostPortInUse(port) || _portsTaken?.Contains(port) == true;

    public void Take(ShardRequest request)
    {
        if (request.NeedsHostPorts)
        {
            _portsTaken ??= new HashSet<string>(StringComparer.Ordinal);
            _portsTaken.UnionWith(request.HostPorts);
        }

        FreeMemory -= request.Resources.MemoryBytes;
        FreeMilliCpus -= request.Resources.MilliCpus;
        _added ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _added[request.Id.JobId] = _added.GetValueOrDefault(request.Id.JobId) + 1;
    }
}
