namespace Sched.Contracts;

/// <summary>
/// The top-level actors of a sched node, by the name each is started under. Another node reaches one by
/// <see cref="TopLevelActor.Path"/>, so these names are part of the protocol between versions.
/// </summary>
public static class ActorPaths
{
    /// <summary>The node agent, on every worker-role node.</summary>
    public static readonly TopLevelActor Agent = new("agent");

    /// <summary>The scheduler's cluster singleton manager on scheduler-role nodes; the singleton is its child.</summary>
    public static readonly TopLevelActor SchedulerSingleton = new("scheduler");

    /// <summary>Every node's way to the scheduler singleton, wherever it runs.</summary>
    public static readonly TopLevelActor SchedulerProxy = new("scheduler-proxy");

    /// <summary>A scheduler-role node's copy of the jobs.</summary>
    public static readonly TopLevelActor StateReplica = new("state-replica");

    public static readonly TopLevelActor MemoryTrimmer = new("memory-trimmer");

    public static readonly TopLevelActor MajorityWatch = new("majority-watch");

    public static readonly TopLevelActor NodeFailureMetrics = new("node-failure-metrics");

    /// <summary>Downs this node when a member of its cluster has quarantined it.</summary>
    public static readonly TopLevelActor QuarantineWatch = new("quarantine-watch");

    /// <summary>Reports the peers and frames the cluster port refused, one line per peer and kind.</summary>
    public static readonly TopLevelActor TransportRefusals = new("transport-refusals");
}

/// <summary>An actor started by the node itself, under the user guardian.</summary>
public sealed record TopLevelActor(string Name)
{
    /// <summary>The path from the actor system's root, e.g. <c>/user/agent</c>.</summary>
    public string Path => "/user/" + Name;

    /// <summary>The same path on another node, e.g. <c>akka.tcp://sched@node2:4053/user/agent</c>.</summary>
    public string On(string nodeAddress) => nodeAddress + Path;

    public override string ToString() => Path;
}
