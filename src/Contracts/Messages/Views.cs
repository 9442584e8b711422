using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Messages;

public enum JobStatus { Pending, Running, Complete, Failed, Stopped }

public enum ShardStatus { Pending, Placed, Running, Succeeded, Failed, Lost, Stopped }

public enum NodeStatus { Up, Unhealthy, Unreachable, Down }

public sealed record JobView(
    string Id,
    JobSpec Spec,
    JobStatus Status,
    string? Reason,
    DateTimeOffset SubmittedAt,
    ImmutableArray<ShardView> Shards);

public sealed record ShardView(
    int Shard,
    ShardStatus Status,
    int Attempt,
    string? Node,
    string? ContainerId,
    long? ExitCode,
    string? Reason,
    DateTimeOffset? RetryAt);

public sealed record NodeView(
    string Name,
    NodeStatus Status,
    string? StatusReason,
    NodeCapacity Total,
    NodeCapacity Allocatable,
    NodeCapacity Allocated,
    ImmutableSortedDictionary<string, string> Labels,
    int Shards);
