using System.Collections.Immutable;
using System.Net;
using Sched.Contracts.Messages;
using Sched.Scheduler.Actors;

namespace Sched.Scheduler.Hosting;

/// <summary>Everything one `sched agent` process needs to start, resolved and checked from its flags.</summary>
public sealed record AgentConfig(
    string NodeName,
    string Host,
    int Port,
    ImmutableArray<string> Seeds,
    ImmutableHashSet<string> Roles,
    IPEndPoint? Http,
    string DataDir,
    string PodmanSocket,
    ImmutableSortedDictionary<string, string> Labels,
    NodeCapacity Reserved,
    bool JoinSelf,
    ClusterTimings? Timings = null,
    string? TokenFile = null,
    ClusterTls? Tls = null)
{
    public ClusterTimings ClusterTimings => Timings ?? ClusterTimings.Default;

    public SchedulerSettings Scheduler => SchedulerSettings.Default with { FencingMargin = ClusterTimings.FencingMargin };

    public const string SchedulerRole = "scheduler";
    public const string WorkerRole = "worker";

    /// <summary>Every member also carries <c>node:NAME</c>, so whoever sees the member come or go knows which node it is.</summary>
    public const string NodeRolePrefix = "node:";

    public static string? NodeNameIn(IEnumerable<string> roles) =>
        roles.FirstOrDefault(r => r.StartsWith(NodeRolePrefix, StringComparison.Ordinal))?[NodeRolePrefix.Length..];

    public bool IsScheduler => Roles.Contains(SchedulerRole);

    public bool IsWorker => Roles.Contains(WorkerRole);
}
