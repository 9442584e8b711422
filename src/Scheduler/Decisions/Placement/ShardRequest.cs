using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.Placement;

/// <summary>
/// A shard attempt that needs a node. AvoidNode is where the previous attempt failed, if anywhere. HostPorts are the
/// fixed host ports ("18080/tcp") it publishes: a node where another shard holds one of them cannot take it.
/// </summary>
public sealed record ShardRequest(
    ShardAttemptId Id,
    ShardResources Resources,
    PlacementRules Rules,
    string? AvoidNode = null,
    ImmutableArray<string> HostPorts = default)
{
    public bool NeedsHostPorts => !HostPorts.IsDefaultOrEmpty;
}

/// <summary>A shard put on a node, with what the node had free just before.</summary>
public sealed record PlacementDecision(ShardRequest Request, string Node, long FreeMemoryBefore, int FreeMilliCpusBefore);

/// <summary>A shard no node could take, with a reason a person can act on and every node's own reason.</summary>
public sealed record UnplacedShard(ShardRequest Request, string Reason, IReadOnlyList<Rejection> Rejections);

/// <summary>What a run placed, what it could not, and the shapes of request that found room nowhere.</summary>
public sealed record PlacementResult(
    IReadOnlyList<PlacementDecision> Placed,
    IReadOnlyList<UnplacedShard> Unplaced,
    ImmutableDictionary<RequestShape, UnplacedShard> NoRoom);

/// <summary>
/// What decides whether a shard fits on a node, apart from the shards already there: once a shape fits nowhere, it
/// fits nowhere until room appears. A job with maxShardsPerNode or fixed host ports has no shape: its own shards decide too.
/// Two jobs asking for the same resources under the same constraints have the same shape.
/// </summary>
public readonly struct RequestShape : IEquatable<RequestShape>
{
    private RequestShape(ShardResources resources, ImmutableArray<PlacementConstraint> constraints)
    {
        Resources = resources;
        Constraints = constraints;
    }

    public ShardResources Resources { get; }

    public ImmutableArray<PlacementConstraint> Constraints { get; }

    public static RequestShape? Of(ShardRequest request) =>
        request.Rules.MaxShardsPerNode is null && !request.NeedsHostPorts ? new RequestShape(request.Resources, request.Rules.Constraints) : null;

    public bool Equals(RequestShape other) =>
        Resources == other.Resources && Constraints.AsSpan().SequenceEqual(other.Constraints.AsSpan());

    public override bool Equals(object? obj) => obj is RequestShape other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Resources, Constraints.Length);

    public static bool operator ==(RequestShape left, RequestShape right) => left.Equals(right);

    public static bool operator !=(RequestShape left, RequestShape right) => !left.Equals(right);
}
