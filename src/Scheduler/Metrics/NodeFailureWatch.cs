using Akka.Actor;
using Akka.Cluster;

namespace Sched.Scheduler.Metrics;

/// <summary>Counts the cluster members that were downed (removed after being marked down, not after leaving).</summary>
public sealed class NodeFailureWatch : ReceiveActor
{
    public NodeFailureWatch(SchedulerMetrics metrics)
    {
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.PreviousStatus == MemberStatus.Down)
            {
                metrics.NodeDowned();
            }
        });
    }

    public static Props Props(SchedulerMetrics metrics) => Akka.Actor.Props.Create(() => new NodeFailureWatch(metrics));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
