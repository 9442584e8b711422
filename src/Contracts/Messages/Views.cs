using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Messages;

public enum JobStatus { Pending, Running, Complete, Failed, Stopped, Cancelled }

public enum ShardStatus { Pending, Placed, Running, Succeeded, Failed, Lost, Stopped }

public enum NodeStatus { Up, Unhealthy, Unreachable, Down }

/// <summary>A job as people see it; its shards are the scheduler's own records (a shard's Node is null between attempts, LastNode says where it ran).</summary>
public sealed record JobView(
    string Id,
    JobSpec Spec,
    JobStatus Status,
    string? Reason,
    DateTimeOffset SubmittedAt,
    ImmutableArray<ShardRecord> Shards);

public sealed record NodeView(
    string Name,
    NodeStatus Status,
    string? StatusReason,
    NodeCapacity Total,
    NodeCapacity Allocatable,
    NodeCapacity Allocated,
    ImmutableSortedDictionary<string, string> Labels,
    int Shards);
