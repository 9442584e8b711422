namespace Sched.Contracts.Messages;

/// <summary>
/// One shard of a job: the scheduler's state, what is replicated and stored (<see cref="JobSnapshot"/>) and what is
/// shown (<see cref="JobView"/>) are this one record. Attempt is the number of the latest attempt placed (0 before
/// the first); LastNode is where the previous attempt ran, so a retry can prefer another node. Losses counts
/// attempts lost with their node: those are placed again without using up the restart policy. Outcome is how the
/// latest attempt ended (null while it runs or before the first); Reason says it in words for people.
/// Ports maps each published container port ("80/tcp") to its host port on Node while the attempt runs.
/// History holds the attempts that ended, oldest first, the last <see cref="MaxHistory"/> of them. A rerun starts
/// the shard again after attempt <see cref="RerunAfter"/>: the restart policy counts only the attempts after it.
/// RunningSince is when the scheduler heard that the latest attempt runs.
/// The JSON names are those of the snapshots written before this record was shared, so old state files still load.
/// </summary>
public sealed record ShardRecord(
    int Shard,
    ShardStatus Status,
    int Attempt,
    string? Node,
    string? ContainerId,
    long? ExitCode,
    string? Reason,
    DateTimeOffset? RetryAt,
    string? LastNode,
    int Losses = 0,
    AttemptOutcome? Outcome = null,
    System.Collections.Immutable.ImmutableSortedDictionary<string, int>? Ports = null,
    System.Collections.Immutable.ImmutableList<AttemptRecord>? History = null,
    int RerunAfter = 0,
    DateTimeOffset? RunningSince = null)
{
    /// <summary>A service that restarts for weeks keeps its latest attempts, not all of them.</summary>
    public const int MaxHistory = 20;

    public static ShardRecord New(int shard) => new(shard, ShardStatus.Pending, 0, null, null, null, null, null, null);

    /// <summary>The shard with one more ended attempt in its history.</summary>
    public ShardRecord WithEnded(AttemptRecord attempt)
    {
        var history = (History ?? []).Add(attempt);
        return this with { History = history.Count > MaxHistory ? history.RemoveRange(0, history.Count - MaxHistory) : history };
    }

    public bool IsFinal => Status is ShardStatus.Succeeded or ShardStatus.Failed or ShardStatus.Stopped;

    /// <summary>Placed or running: it holds capacity on its node.</summary>
    public bool IsActive => Status is ShardStatus.Placed or ShardStatus.Running;
}

/// <summary>
/// One attempt that ended: where it ran, how it ended (Outcome null: it was stopped), when it started running (null:
/// it never ran, or it was adopted after a restart) and when it ended. Reason says it in words.
/// </summary>
public sealed record AttemptRecord(int Attempt, string? Node, AttemptOutcome? Outcome, long? ExitCode, string? Reason, DateTimeOffset? EndedAt, DateTimeOffset? StartedAt = null)
{
    public TimeSpan? Took => EndedAt - StartedAt;
}

/// <summary>How an attempt ended, as a kind that code can branch on; the words for people are in the shard's reason.</summary>
public enum AttemptOutcome
{
    /// <summary>The container exited by itself; the exit code says how.</summary>
    Exited,

    /// <summary>The container was killed for exceeding its memory limit.</summary>
    OomKilled,

    /// <summary>The container never started (image missing, engine refused it).</summary>
    StartFailed,

    /// <summary>The node's agent stopped it because the node was cut off from the cluster's majority.</summary>
    Fenced,

    /// <summary>The node it ran on went down.</summary>
    Lost,

    /// <summary>It never started: no node and no registry could supply its image (or none for the node's architecture).</summary>
    ImageUnavailable,

    /// <summary>It ran longer than the job's timeout and its agent stopped it.</summary>
    TimedOut,
}
