using System.Collections.Immutable;
using System.Net;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.Scheduler.Actors;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Http;

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
    string ClusterId = AgentConfig.DefaultClusterId,
    ClusterTls? Tls = null,
    ImmutableArray<string> AllowedHostPaths = default,
    IPAddress? PublishAddress = null)
{
    /// <summary>The id a cluster's containers carry (label sched.cluster) when none is given.</summary>
    /// <summary>Registry logins for pulls (--registry-auth); null: podman's own.</summary>
    public string? RegistryAuthFile { get; init; }

    public const string DefaultClusterId = "sched";

    public ClusterTimings ClusterTimings => Timings ?? ClusterTimings.Default;

    /// <summary>How long, and how many, finished jobs are kept (--retain-finished, --retain-finished-count).</summary>
    public RetentionPolicy Retention { get; init; } = RetentionPolicy.Default;

    /// <summary>The local address the cluster port listens on (--bind); Host is then only the name others reach it by.</summary>
    public string? Bind { get; init; }

    public static readonly TimeSpan DefaultPruneImagesAfter = TimeSpan.FromHours(72);

    /// <summary>A copied or pulled image unused this long is removed (--prune-images-after); null keeps every image.</summary>
    public TimeSpan? PruneImagesAfter { get; init; } = DefaultPruneImagesAfter;

    /// <summary>The HTTP API is served over HTTPS with this node's cluster certificate (--https).</summary>
    public bool HttpsApi { get; init; }

    /// <summary>Where and how the HTTP API listens; null when it is off.</summary>
    public ApiListener? ApiListener => Http is { } endpoint ? new ApiListener(endpoint, HttpsApi ? Tls?.Certificate : null) : null;

    public SchedulerSettings Scheduler => SchedulerSettings.Default with { FencingMargin = ClusterTimings.FencingMargin, Retention = Retention };

    public bool IsScheduler => Roles.Contains(ClusterRoles.Scheduler);

    public bool IsWorker => Roles.Contains(ClusterRoles.Worker);
}
