namespace Sched.Scheduler.Decisions.Durability;

/// <summary>
/// Where a starting scheduler stands before it recovers: it waits for a majority of the scheduler nodes it last
/// knew (a node whose disk missed what the others did must not recover alone from it), warning now and then if the
/// wait is long; then reads the jobs from a majority, first giving its replicator time to hear of the nodes that
/// just came up if it needs them.
/// </summary>
public sealed record RecoveryWait(DateTimeOffset Started, DateTimeOffset LastWarned, bool QuorumSeen)
{
    /// <summary>A wait this short is the usual start of a cluster, not worth a warning.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan WarnEvery = TimeSpan.FromSeconds(10);

    public static RecoveryWait StartedAt(DateTimeOffset now) => new(now, DateTimeOffset.MinValue, false);

    /// <summary>What to do on hearing whether a majority is up (and whether other nodes must be read).</summary>
    public (RecoveryWait Next, RecoveryStep Step) Heard(bool hasQuorum, bool needsOthers, DateTimeOffset now) =>
        QuorumSeen ? (this, RecoveryStep.Ignore)
        : hasQuorum ? (this with { QuorumSeen = true }, needsOthers ? RecoveryStep.ReadAfterCatchUp : RecoveryStep.ReadNow)
        : now - Started >= QuietFor && now - LastWarned >= WarnEvery ? (this with { LastWarned = now }, RecoveryStep.WarnAndWait)
        : (this, RecoveryStep.Wait);
}

public enum RecoveryStep
{
    /// <summary>A majority was already found; later answers change nothing.</summary>
    Ignore,

    /// <summary>No majority yet; ask again.</summary>
    Wait,

    /// <summary>No majority for a while: tell the operator which nodes to start, and ask again.</summary>
    WarnAndWait,

    /// <summary>A majority is up and this node needs only itself: read the jobs now.</summary>
    ReadNow,

    /// <summary>A majority is up: read the jobs once this node's replicator has heard of the others.</summary>
    ReadAfterCatchUp,
}
