using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Actors;

/// <summary>
/// How the scheduler treats lost nodes. FencingMargin: after a node is downed, how long to wait before its
/// shards run elsewhere, so its agent has stopped them first. LeftGrace: how long a node whose agent left
/// gracefully (a restart) keeps its shards before they are placed elsewhere: 120 s, because the leaving agent's
/// fencing lease holds its containers for three quarters of it, and a restart of every agent at once
/// (`nixos-rebuild switch` on all boards) must start, join, elect a scheduler and reconcile within that.
/// </summary>
public sealed record SchedulerSettings(TimeSpan FencingMargin, TimeSpan LeftGrace, bool WatchCluster)
{
    /// <summary>Where the scheduler tells watchers what happened; nowhere by default.</summary>
    public Action<JobEvent> Publish { get; init; } = _ => { };

    /// <summary>How a RunShard that no agent acknowledged is sent again, then given up.</summary>
    public StartAckTimings StartAck { get; init; } = StartAckTimings.Default;

    /// <summary>How long, and how many, finished jobs are kept before they and their containers are removed.</summary>
    public RetentionPolicy Retention { get; init; } = RetentionPolicy.Default;

    public static readonly SchedulerSettings Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), WatchCluster: true);

    /// <summary>For actor tests that run without a cluster.</summary>
    public static readonly SchedulerSettings WithoutCluster = Default with { WatchCluster = false };
}
