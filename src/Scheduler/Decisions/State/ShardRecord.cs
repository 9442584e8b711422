using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// One shard of a job. Attempt is the number of the latest attempt placed (0 before the first);
/// LastNode is where the previous attempt ran, so a retry can prefer another node. Losses counts
/// attempts lost with their node: those are placed again without using up the restart policy.
/// </summary>
public sealed record ShardRecord(
    int Shard,
    ShardStatus Status,
    int Attempt,
    string? Node,
    string? ContainerId,
    long? ExitCode,
    string? Reason,
    DateTimeOffset? RetryAt,
    string? LastNode,
    int Losses = 0)
{
    public static ShardRecord New(int shard) => new(shard, ShardStatus.Pending, 0, null, null, null, null, null, null);

    public bool IsFinal => Status is ShardStatus.Succeeded or ShardStatus.Failed or ShardStatus.Stopped;

    /// <summary>Placed or running: it holds capacity on its node.</summary>
    public bool IsActive => Status is ShardStatus.Placed or ShardStatus.Running;

    public ShardView ToView() => new(Shard, Status, Attempt, Node ?? LastNode, ContainerId, ExitCode, Reason, RetryAt);
}
