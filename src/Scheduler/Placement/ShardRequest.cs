using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Placement;

/// <summary>A shard attempt that needs a node. AvoidNode is where the previous attempt failed, if anywhere.</summary>
public sealed record ShardRequest(
    ShardAttemptId Id,
    ShardResources Resources,
    PlacementRules Rules,
    string? AvoidNode = null);

/// <summary>A shard put on a node, with what the node had free just before.</summary>
public sealed record PlacementDecision(ShardRequest Request, string Node, long FreeMemoryBefore, int FreeMilliCpusBefore);

/// <summary>A shard no node could take, with a reason a person can act on and every node's own reason.</summary>
public sealed record UnplacedShard(ShardRequest Request, string Reason, IReadOnlyList<Rejection> Rejections);

public sealed record PlacementResult(IReadOnlyList<PlacementDecision> Placed, IReadOnlyList<UnplacedShard> Unplaced);
