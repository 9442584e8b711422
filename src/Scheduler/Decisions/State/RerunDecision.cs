using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>A rerun's events, or why it was refused (<see cref="NoSuchJob"/>: neither events nor a refusal).</summary>
public sealed record RerunDecision(IReadOnlyList<ISchedulerEvent> Events, RerunRefusal? Refusal, string? Reason)
{
    public static readonly RerunDecision NoSuchJob = new([], null, null);

    public static RerunDecision Refused(RerunRefusal refusal, string reason) => new([], refusal, reason);
}
