using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Serilog;

namespace Sched.Scheduler.Hosting;

/// <summary>
/// Downs this node when a member of its cluster has quarantined it. The others removed this incarnation while it
/// thought them unreachable, so no gossip will ever tell it: without this it ran on as a cluster of its own, its
/// shards already placed elsewhere. Akka.Cluster does not do this itself (Akka on the JVM does, in its resolver).
/// Downing runs the usual path: the containers are stopped and the agent starts a new system that joins again.
/// </summary>
public sealed class QuarantineWatch : ReceiveActor
{
    // Every address seen as a member: this node's own view may already have downed and removed the one that quarantined it.
    private readonly HashSet<Address> _members = [];

    public QuarantineWatch(ILogger log)
    {
        Receive<ClusterEvent.IMemberEvent>(e => _members.Add(e.Member.Address));
        Receive<ThisActorSystemQuarantinedEvent>(e =>
        {
            if (!_members.Contains(e.RemoteAddress))
            {
                return;
            }

            log.Warning("the cluster member {Remote} has quarantined this node: it was removed from the cluster; downing itself to rejoin", e.RemoteAddress);
            CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterDowningReason.Instance);
        });
    }

    public static Props Props(ILogger log) => Akka.Actor.Props.Create(() => new QuarantineWatch(log));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ThisActorSystemQuarantinedEvent));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
