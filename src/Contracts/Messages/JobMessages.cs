using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Messages;

public sealed record SubmitJob(JobSpec Spec) : ISchedMessage;

public sealed record GetJobs : ISchedMessage
{
    public static readonly GetJobs Instance = new();
}

public sealed record GetJob(string JobId) : ISchedMessage;

public sealed record StopJob(string JobId) : ISchedMessage;

public sealed record GetNodes : ISchedMessage
{
    public static readonly GetNodes Instance = new();
}

/// <summary>Answer to <see cref="GetJob"/>, <see cref="StopJob"/> and <see cref="SubmitJob"/>; Job is null when no such job exists.</summary>
public sealed record JobReply(JobView? Job) : ISchedMessage;

public sealed record JobListReply(ImmutableArray<JobView> Jobs) : ISchedMessage;

public sealed record NodeListReply(ImmutableArray<NodeView> Nodes) : ISchedMessage;
