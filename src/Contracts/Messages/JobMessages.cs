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
