using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Prometheus;
using Sched.Scheduler.Metrics;
using Sched.Scheduler.Tests.Hosting;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>Real actor systems forming a cluster on loopback: a member that leaves is no failure, one that is downed is.</summary>
public sealed class NodeFailureWatchSpecs : LoopbackActorSystems
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    [Fact]
    public async Task A_member_that_leaves_is_not_counted_and_one_that_is_downed_is()
    {
        var seed = Start();
        seed.ActorOf(NodeFailureWatch.Props(new SchedulerMetrics(_registry, TimeProvider.System)), "node-failure-metrics");
        var leaving = await Join(seed);
        var downed = await Join(seed);

        await AkkaCluster.Get(leaving).LeaveAsync();
        await Until(() => AkkaCluster.Get(seed).State.Members.Count == 2, "the leaving member removed");
        AkkaCluster.Get(seed).Down(AkkaCluster.Get(downed).SelfAddress);
        await Until(() => AkkaCluster.Get(seed).State.Members.Count == 1, "the downed member removed");

        await Until(() => Failures() == 1, "one node failure counted");
        await Task.Delay(500);
        Assert.Equal(1, Failures());
    }

    private double Failures() => Exposition.Samples(_registry).GetAwaiter().GetResult()["sched_node_failures_total"];

    private ActorSystem Start()
    {
        var system = ActorSystem.Create("metrics", ConfigurationFactory.ParseString("""
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
              }
              coordinated-shutdown.exit-clr = off
            }
            """));
        return Track(system);
    }

    private async Task<ActorSystem> Join(ActorSystem seed)
    {
        var seedCluster = AkkaCluster.Get(seed);
        if (seedCluster.State.Members.Count == 0)
        {
            seedCluster.Join(seedCluster.SelfAddress);
        }

        var member = Start();
        AkkaCluster.Get(member).Join(seedCluster.SelfAddress);
        var expected = Systems.Count;
        await Until(() => seedCluster.State.Members.Count(m => m.Status == MemberStatus.Up) == expected, $"{expected} members up");
        return member;
    }
}
