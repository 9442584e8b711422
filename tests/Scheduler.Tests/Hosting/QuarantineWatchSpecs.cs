using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using Sched.Scheduler.Hosting;
using Serilog;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Sched.Scheduler.Tests.Hosting;

/// <summary>Two real actor systems on loopback: one quarantines the other, as a cluster does a member it removed.</summary>
public sealed class QuarantineWatchSpecs : LoopbackActorSystems
{
    [Fact]
    public async Task A_node_quarantined_by_a_member_downs_itself_and_so_rejoins()
    {
        var seed = Start();
        var member = Start();
        member.ActorOf(QuarantineWatch.Props(new LoggerConfiguration().CreateLogger()), "quarantine-watch");
        AkkaCluster.Get(seed).Join(AkkaCluster.Get(seed).SelfAddress);
        AkkaCluster.Get(member).Join(AkkaCluster.Get(seed).SelfAddress);
        await Until(() => AkkaCluster.Get(seed).State.Members.Count(m => m.Status == MemberStatus.Up) == 2, "two members up");

        var removed = AkkaCluster.Get(member).SelfUniqueAddress;
        ((IRemoteActorRefProvider)((ExtendedActorSystem)seed).Provider).Quarantine(removed.Address, removed.Uid);

        var terminated = await Task.WhenAny(member.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(terminated == member.WhenTerminated, "the quarantined member's actor system still runs 30 s later");
        Assert.IsType<CoordinatedShutdown.ClusterDowningReason>(CoordinatedShutdown.Get(member).ShutdownReason);
    }

    private ActorSystem Start()
    {
        var system = ActorSystem.Create("quarantine", ConfigurationFactory.ParseString("""
            akka {
              loglevel = OFF
              stdout-loglevel = OFF
              log-dead-letters = off
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
              cluster {
                log-info = off
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1s }
                run-coordinated-shutdown-when-down = on
                # No split brain resolver: it would down the cut-off member by itself after stable-after.
                downing-provider-class = ""
              }
              coordinated-shutdown.exit-clr = off
            }
            """));
        return Track(system);
    }
}
