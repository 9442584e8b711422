using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Messages;

public enum JobStatus { Pending, Running, Complete, Failed, Stopped, Cancelled, Scheduled }

public enum ShardStatus { Pending, Placed, Running, Succeeded, Failed, Lost, Stopped }

public enum NodeStatus { Up, Unhealthy, Unreachable, Down }

/// <summary>
/// A job as people see it; its shards are the scheduler's own records (a shard's Node is null between attempts,
/// LastNode says where it ran). A periodic job has no shards: Runs says when it runs next and which job it started
/// last; RunOf names the periodic job that started this one.
/// </summary>
public sealed record JobView(
    string Id,
    JobSpec Spec,
    JobStatus Status,
    string? Reason,
    DateTimeOffset SubmittedAt,
    ImmutableArray<ShardRecord> Shards,
    PeriodicRunsView? Runs = null,
    PeriodicRunView? RunOf = null);

public sealed record PeriodicRunsView(DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, string? LastRunId);

/// <summary>The periodic job that started a run, and the occurrence of its schedule the run is for.</summary>
public sealed record PeriodicRunView(string JobId, DateTimeOffset DueAt);

public sealed record NodeView(
    string Name,
    NodeStatus Status,
    string? StatusReason,
    NodeCapacity Total,
    NodeCapacity Allocatable,
    NodeCapacity Allocated,
    ImmutableSortedDictionary<string, string> Labels,
    int Shards,
    string? Address = null);
