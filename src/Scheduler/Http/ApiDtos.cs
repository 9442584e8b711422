using System.Text.Json.Nodes;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>The JSON shapes of the HTTP API; the CLI reads the same records.</summary>
public sealed record JobDto(
    string Id,
    string Name,
    string Image,
    JobStatus Status,
    string? Reason,
    DateTimeOffset SubmittedAt,
    ShardCountsDto Counts,
    IReadOnlyList<ShardDto> Shards,
    JsonObject Manifest,
    PeriodicRunsDto? Runs = null,
    string? RunOf = null,
    DateTimeOffset? RunDueAt = null);

/// <summary>A periodic job's runs: when the next is due, the latest occurrence (run or skipped), and the job its latest run started.</summary>
public sealed record PeriodicRunsDto(DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, string? LastRunId);

public sealed record ShardCountsDto(int Total, int Pending, int Placed, int Running, int Succeeded, int Failed, int Stopped);

/// <summary>
/// Node is where the shard runs, or between attempts where it last ran; Outcome is how its latest attempt ended.
/// Ports maps each published container port ("80/tcp") to its host port on Node while the shard runs.
/// History holds its attempts that ended, oldest first (the latest 20); RerunAfter is the attempt a rerun followed.
/// </summary>
public sealed record ShardDto(
    int Shard,
    ShardStatus Status,
    int Attempt,
    string? Node,
    string? ContainerId,
    long? ExitCode,
    string? Reason,
    DateTimeOffset? RetryAt,
    AttemptOutcome? Outcome,
    IReadOnlyDictionary<string, int>? Ports = null,
    IReadOnlyList<AttemptRecord>? History = null,
    int RerunAfter = 0);

public sealed record NodeDto(
    string Name,
    NodeStatus Status,
    string? StatusReason,
    CapacityDto Total,
    CapacityDto Allocatable,
    CapacityDto Allocated,
    CapacityDto Free,
    IReadOnlyDictionary<string, string> Labels,
    int Shards,
    string? Address);

/// <summary>Capacity both exact (bytes, cores) and readable ("1.5Gi").</summary>
public sealed record CapacityDto(double Cpus, long MemoryBytes, string Memory);
