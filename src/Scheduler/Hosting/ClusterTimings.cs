namespace Sched.Scheduler.Hosting;

/// <summary>
/// How fast a dead node is noticed and its work moved, tuned for a small gigabit LAN.
/// HeartbeatPause: silence before a member is unreachable. DownAfter: how long the split brain resolver waits
/// for unreachability to settle before downing the minority. A cut-off agent fences (stops its containers)
/// halfway to being downed, and the scheduler waits FencingMargin after the down before placing
/// the lost shards elsewhere: a shard never runs on both sides.
/// </summary>
public sealed record ClusterTimings(TimeSpan HeartbeatPause, TimeSpan DownAfter, TimeSpan FencingMargin)
{
    public static readonly ClusterTimings Default = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));

    /// <summary>Half the down delay: the cut-off side may notice the cut a second later than the majority does.</summary>
    public TimeSpan FenceAfter => DownAfter / 2;
}
