namespace Sched.Contracts;

/// <summary>The cluster roles a sched node carries; the agent's flags name the first two.</summary>
public static class ClusterRoles
{
    /// <summary>May host the scheduler singleton, its replicated state and the HTTP API.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>Runs containers: has a node agent.</summary>
    public const string Worker = "worker";

    /// <summary>Every member also carries <c>node:NAME</c>, so whoever sees the member come or go knows which node it is.</summary>
    public const string NodePrefix = "node:";

    public static string Node(string nodeName) => NodePrefix + nodeName;

    public static string? NodeNameIn(IEnumerable<string> roles) =>
        roles.FirstOrDefault(r => r.StartsWith(NodePrefix, StringComparison.Ordinal))?[NodePrefix.Length..];
}
