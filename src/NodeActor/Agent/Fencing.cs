namespace Sched.NodeActor.Agent;

/// <summary>Tells the agent to stop every managed container on its node: it is cut off or was downed.</summary>
public sealed record Fence(string Reason);

/// <summary>The agent's answer to <see cref="Fence"/> once its containers are stopped.</summary>
public sealed record Fenced(int Containers);

/// <summary>From the majority watch: this node cannot reach a majority of the cluster; the agent stops renewing its lease.</summary>
public sealed record MajorityLost
{
    public static readonly MajorityLost Instance = new();
}

/// <summary>From the majority watch: this node reaches a majority again; a fenced agent may rejoin and reconcile.</summary>
public sealed record MajorityRegained
{
    public static readonly MajorityRegained Instance = new();
}

/// <summary>
/// The agent leaves gracefully: its containers stay for a new agent to adopt, so the lease is set to run out only
/// <see cref="For"/> from now, and not renewed again by this agent.
/// </summary>
public sealed record HoldLease(TimeSpan For);

/// <summary>The answer to <see cref="HoldLease"/>.</summary>
public sealed record LeaseHeld(DateTime? Until);

/// <summary>Whether this member can still be on the side the split brain resolver keeps (keep-majority).</summary>
public static class Quorum
{
    /// <summary>
    /// Cut off when the reachable members are fewer than half, or exactly half without the lowest address
    /// (the side keep-majority keeps on a tie).
    /// </summary>
    public static bool IsCutOff(IReadOnlyCollection<string> members, IReadOnlyCollection<string> unreachable)
    {
        var reachable = members.Count - members.Count(unreachable.Contains);
        if (reachable * 2 != members.Count)
        {
            return reachable * 2 < members.Count;
        }

        var lowest = members.Min(StringComparer.Ordinal);
        return lowest is null || unreachable.Contains(lowest);
    }
}
