using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

public sealed record JobRecord(
    string Id,
    JobSpec Spec,
    DateTimeOffset SubmittedAt,
    ImmutableArray<ShardRecord> Shards,
    bool Stopped,
    long Version = 1,
    string? IdempotencyKey = null,
    DateTimeOffset? FinishedAt = null,
    string? CancelledBecause = null,
    DateTimeOffset? RerunAt = null,
    DateTimeOffset? LastRunAt = null,
    string? LastRunId = null)
{
    public static JobRecord New(string id, JobSpec spec, DateTimeOffset at, string? idempotencyKey = null) =>
        new(id, spec, at, spec.IsPeriodic ? [] : Enumerable.Range(1, spec.Shards).Select(ShardRecord.New).ToImmutableArray(), false, 1, idempotencyKey);

    public ShardRecord Shard(int shard) => Shards[shard - 1];

    public JobRecord WithShard(ShardRecord shard) => this with { Shards = Shards.SetItem(shard.Shard - 1, shard), Version = Version + 1 };

    /// <summary>
    /// The job's state, derived from its shards; the first rule that matches wins. A shard waiting out a
    /// restart backoff has run before, so its job is running, not pending.
    /// </summary>
    public JobStatus Status =>
        CancelledBecause is not null ? JobStatus.Cancelled
        : Stopped ? JobStatus.Stopped
        : Spec.IsPeriodic ? JobStatus.Scheduled
        : Shards.All(s => s.Status == ShardStatus.Succeeded) ? JobStatus.Complete
        : Shards.All(s => s.IsFinal) ? JobStatus.Failed
        : Shards.Any(s => s.IsActive || s.IsFinal || s.Attempt > 0) ? JobStatus.Running
        : JobStatus.Pending;

    public string? Reason =>
        CancelledBecause is { } cancelled ? $"cancelled: {cancelled}"
        : Spec.IsPeriodic && !Stopped ? PeriodicReason
        : Shards.FirstOrDefault(s => s.Status == ShardStatus.Failed) is { } failed
            ? $"shard {failed.Shard} failed: {failed.Reason}"
            : Shards.FirstOrDefault(s => s.Status == ShardStatus.Pending && s.Reason is not null) is { } waiting
                ? $"shard {waiting.Shard} pending: {waiting.Reason}"
                : !Stopped && Shards.FirstOrDefault(s => s.Status == ShardStatus.Stopped && s.Reason is not null) is { } stopped
                    ? $"shard {stopped.Shard} {stopped.Reason}"
                    : null;

    private string PeriodicReason =>
        (NextRunAt is { } next ? $"next run at {PeriodicRuns.Format(next)}" : "no further run: the schedule never comes again")
        + (LastRunId is { } last ? $"; latest run {last}" : "");

    /// <summary>Nothing of it runs or will run again: every shard is final, or the job was stopped.</summary>
    public bool IsFinished => Stopped || (!Spec.IsPeriodic && Shards.All(s => s.IsFinal));

    /// <summary>
    /// A periodic job's next occurrence, counted from its latest one (or its submission): in the past while one is
    /// due. Null for a job without a schedule, a stopped one, or a schedule that never comes again.
    /// </summary>
    public DateTimeOffset? NextRunAt => Spec.Schedule is { } schedule && !Stopped ? schedule.NextAfter(LastRunAt ?? SubmittedAt) : null;

    /// <summary>
    /// The job just became finished: the time is kept, so retention counts its age from then. Jobs finished before
    /// the time was kept (older state files) count from their submission.
    /// </summary>
    public JobRecord FinishedBy(DateTimeOffset? at) => FinishedAt is null && at is not null && IsFinished ? this with { FinishedAt = at } : this;

    public DateTimeOffset FinishedOrSubmittedAt => FinishedAt ?? SubmittedAt;

    /// <summary>When its deadline passes: counted from its submission, or from its latest rerun.</summary>
    public DateTimeOffset? DeadlineAt => Spec.Deadline is { } deadline ? (RerunAt ?? SubmittedAt) + deadline : null;

    public JobView ToView() =>
        new(Id, Spec, Status, Reason, SubmittedAt, Shards, Spec.IsPeriodic ? new(NextRunAt, LastRunAt, LastRunId) : null,
            PeriodicRuns.RunOf(IdempotencyKey) is { } run ? new PeriodicRunView(run.JobId, run.Occurrence) : null);
}
