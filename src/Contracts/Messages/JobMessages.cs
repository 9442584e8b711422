using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Messages;

/// <summary>A new job. A client that may retry sends an IdempotencyKey: a second submission with it returns the first job.</summary>
public sealed record SubmitJob(JobSpec Spec, string? IdempotencyKey = null) : ISchedMessage;

/// <summary>
/// Jobs in submission order, those after the cursor <paramref name="After"/> (a <see cref="JobListReply.Next"/>), at
/// most <paramref name="Limit"/> of them. An answer that crosses the cluster is cut short to fit one frame; its Next
/// then says where the next page starts.
/// </summary>
public sealed record GetJobs(int? Limit = null, string? After = null) : ISchedMessage
{
    public static readonly GetJobs Instance = new();
}

public sealed record GetJob(string JobId) : ISchedMessage;

public sealed record StopJob(string JobId) : ISchedMessage;

/// <summary>Where the job's shards would go now and why any would wait; nothing is stored or started. Answered with the would-be job.</summary>
public sealed record PlanJob(JobSpec Spec) : ISchedMessage;

/// <summary>Changes how many of the job's shards may run at once (null: no limit); answered with the job.</summary>
public sealed record ScaleJob(string JobId, int? Parallel) : ISchedMessage;

/// <summary>
/// Runs shards of a finished job again as new attempts of the same job: the named ones, or (Shards null) every shard
/// that did not succeed. Answered with <see cref="RerunReply"/>.
/// </summary>
public sealed record RerunJob(string JobId, ImmutableArray<int>? Shards = null) : ISchedMessage;

/// <summary>Why a rerun was refused; the HTTP status follows from it.</summary>
public enum RerunRefusal
{
    /// <summary>The job still runs: a rerun starts once it ended.</summary>
    StillRunning,

    /// <summary>A named shard is not one of the job's.</summary>
    NoSuchShard,

    /// <summary>Shards were not named and every shard succeeded.</summary>
    NothingFailed,
}

/// <summary>The job after the rerun, or why it was refused (Job null and Refusal null: there is no such job).</summary>
public sealed record RerunReply(JobView? Job, RerunRefusal? Refusal = null, string? Reason = null) : ISchedMessage;

public sealed record GetNodes : ISchedMessage
{
    public static readonly GetNodes Instance = new();
}

/// <summary>
/// Answer to <see cref="GetJob"/>, <see cref="StopJob"/> and <see cref="SubmitJob"/>; Job is null when no such job exists.
/// NotConfirmed says why a submission is not yet safe from the loss of a scheduler node.
/// </summary>
public sealed record JobReply(JobView? Job, string? NotConfirmed = null) : ISchedMessage;

/// <summary>Answer to <see cref="GetJobs"/>; <paramref name="Next"/> is the cursor of the next page, null after the last.</summary>
public sealed record JobListReply(ImmutableArray<JobView> Jobs, string? Next = null) : ISchedMessage;

public sealed record NodeListReply(ImmutableArray<NodeView> Nodes) : ISchedMessage;
