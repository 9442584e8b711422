using System.Globalization;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Sched.Contracts;
using Sched.Scheduler.Wire;

namespace Sched.Scheduler.Hosting;

/// <summary>The Akka configuration of one agent process.</summary>
public static class ClusterHocon
{
    public const string SystemName = "sched";

    /// <summary>
    /// This node's settings over the reference settings of every Akka extension a sched cluster runs. Each extension
    /// brings the serializer of its messages, and Akka loads it only where the extension starts: a worker, which
    /// runs no pub-sub mediator, could not read the scheduler nodes' pub-sub messages. With these every node can
    /// read every message, whatever its roles.
    /// </summary>
    public static Config ConfigFor(AgentConfig config) =>
        ConfigurationFactory.ParseString(For(config))
            .WithFallback(DistributedPubSub.DefaultConfig())
            .WithFallback(ClusterSingleton.DefaultConfig())
            .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());

    public static string For(AgentConfig config)
    {
        var seeds = string.Join(", ", config.Seeds.Select(s => $"\"{ClusterTls.Scheme(config.Tls is not null)}://{SystemName}@{s}\""));
        var timings = config.ClusterTimings;
        var roles = string.Join(", ", config.Roles.Order(StringComparer.Ordinal).Append(ClusterRoles.Node(config.NodeName)).Select(r => $"\"{r}\""));
        return $$"""
            akka {
              loglevel = INFO
              loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]
              logger-formatter = "Akka.Logger.Serilog.SerilogLogMessageFormatter, Akka.Logger.Serilog"
              stdout-loglevel = WARNING
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              # The scheduler's timer wakes up every tick even when nothing is due: 100 a second by default cost
              # an idle agent more CPU than all its real work; 10 a second cost an idle worker 0.3 % of a core less
              # than 20. The shortest timer here is 250 ms; heartbeats are 1 s; fencing margins are seconds.
              scheduler.tick-duration = 100ms
              actor.provider = cluster
              remote.dot-netty.tcp {
                # Off: with SO_REUSEPORT two agents silently shared one cluster port.
                tcp-reuse-addr = off
                {{(config.Bind is { } bind ? $"hostname = \"{bind}\"\n                public-hostname = \"{config.Host}\"" : $"hostname = \"{config.Host}\"")}}
                port = {{config.Port.ToString(CultureInfo.InvariantCulture)}}
                # The certificate and the CA-only validation come with the actor system's setup (ClusterTls).
                enable-ssl = {{(config.Tls is null ? "off" : "on")}}
              }
              cluster {
                roles = [{{roles}}]
                seed-nodes = [{{seeds}}]
                # Only the first seed of a node's own list may found a cluster (join itself), and only after every
                # other seed said it is not in one yet, or after seed-node-timeout without an answer. A restarted
                # node1 asks node2 and node3 first and rejoins their cluster: 10 s, not 5, so a slow handshake on a
                # busy board cannot make it found a second one. It costs only a cold start in which a seed is dead.
                seed-node-timeout = 10s
                # A restarted member waits until its old incarnation is removed and then joins again after this
                # (10 s by default), while its containers run on unwatched.
                retry-unsuccessful-join-after = 3s
                log-info = off
                failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = {{Seconds(timings.HeartbeatPause)}}
                }
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  stable-after = {{Seconds(timings.DownAfter)}}
                }
                run-coordinated-shutdown-when-down = on
                distributed-data.role = "{{ClusterRoles.Scheduler}}"
                # Job events are published and watched only on scheduler nodes: gossip nothing to the workers.
                pub-sub.role = "{{ClusterRoles.Scheduler}}"
                # It warns at every start, before the singleton could exist; the HTTP API's 503 says it instead.
                singleton-proxy.log-singleton-identification-failure = off
              }
              coordinated-shutdown.exit-clr = off
            }
            {{SchedulerWire.Hocon}}
            """;
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
}
