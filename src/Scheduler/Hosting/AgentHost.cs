using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.Singleton;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.NodeActor.Images;
using Sched.NodeActor.Runtime;
using Sched.Scheduler.Actors;
using Sched.Scheduler.Durability;
using Sched.Scheduler.Http;
using Sched.Scheduler.Http.Auth;
using Sched.Scheduler.Metrics;
using Serilog;

namespace Sched.Scheduler.Hosting;

/// <summary>One `sched agent` process: its actor system, the scheduler singleton, the node agent and the HTTP API.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly WebApplication? _web;
    private readonly IDisposable? _runtime;
    private readonly JobStore? _store;

    private AgentHost(ActorSystem system, WebApplication? web, IDisposable? runtime, JobStore? store)
    {
        _system = system;
        _web = web;
        _runtime = runtime;
        _store = store;
    }

    /// <summary>Starts the node. Tests pass their own <paramref name="runtime"/>; otherwise the podman socket is used.</summary>
    public static async Task<AgentHost> StartAsync(AgentConfig config, ILogger log, CancellationToken ct, IContainerRuntime? runtime = null)
    {
        var token = config.IsScheduler && config.Http is not null ? ApiTokenFile.LoadAll(config.TokenFile, config.DataDir) : null;
        var store = config.IsScheduler ? JobStore.Open(config.DataDir) : null;
        var refusals = new ClusterRefusals(log);
        var system = ActorSystem.Create(ClusterHocon.SystemName, ClusterTls.SystemSetup(ClusterHocon.ConfigFor(config), config.Tls, refusals));
        system.ActorOf(TransportRefusalListener.Props(refusals), ActorPaths.TransportRefusals.Name);
        var cluster = Cluster.Get(system);
        system.ActorOf(MemoryTrimmer.Props(log), ActorPaths.MemoryTrimmer.Name);
        system.ActorOf(QuarantineWatch.Props(log), ActorPaths.QuarantineWatch.Name);
        if (config.JoinSelf)
        {
            cluster.Join(cluster.SelfAddress);
        }

        if (store is not null)
        {
            var replica = system.ActorOf(StateReplica.Props(store, config.NodeName, log), ActorPaths.StateReplica.Name);
            var durability = new SchedulerDurability(system, replica);
            system.ActorOf(
                ClusterSingletonManager.Props(
                    SchedulerActor.Props(TimeProvider.System, new Random(), log, config.Scheduler with { Publish = PublishTo(system) }, durability),
                    PoisonPill.Instance,
                    // Not the split brain resolver's stable-after (the default): the scheduler would move that much later
                    // than the shards of a downed node. The cut-off side has fenced by then (at half of stable-after).
                    ClusterSingletonManagerSettings.Create(system).WithRole(ClusterRoles.Scheduler).WithRemovalMargin(config.ClusterTimings.FencingMargin)),
                ActorPaths.SchedulerSingleton.Name);
            system.ActorOf(NodeFailureWatch.Props(SchedulerMetrics.Process), ActorPaths.NodeFailureMetrics.Name);
        }

        var scheduler = system.ActorOf(
            ClusterSingletonProxy.Props(ActorPaths.SchedulerSingleton.Path, ClusterSingletonProxySettings.Create(system).WithRole(ClusterRoles.Scheduler)),
            ActorPaths.SchedulerProxy.Name);

        PodmanRuntime? podman = null;
        if (config.IsWorker)
        {
            runtime ??= podman = new PodmanRuntime(config.PodmanSocket, config.ClusterId, config.RegistryAuthFile is { } auth ? new RegistryAuthFile(auth) : null);
            var options = new AgentOptions(
                config.NodeName, ClusterMembership.IdOf(cluster.SelfUniqueAddress), config.Reserved, config.Labels, TimeSpan.FromSeconds(5),
                config.AllowedHostPaths, config.PublishAddress)
            {
                Lease = FenceLease.For(config.DataDir, Environment.GetEnvironmentVariable),
                LeaseHold = config.ClusterTimings.FenceAfter,
                FenceAttempted = FenceMetrics.Process.Attempted,
                Archive = LogArchive.InDataDir(config.DataDir),
                Copies = ImageCopies.InDataDir(config.DataDir),
                PruneImagesAfter = config.PruneImagesAfter,
            };
            var agent = system.ActorOf(NodeAgent.Props(runtime, scheduler, options, log, new ClusterCommandSenders(cluster, ClusterRoles.Scheduler), podman?.Images), ActorPaths.Agent.Name);
            system.ActorOf(MajorityWatch.Props(agent, config.ClusterTimings.FenceAfter, log), ActorPaths.MajorityWatch.Name);
            FenceOrHoldLeaseOnShutdown(system, agent, config.Scheduler.LeftGrace * 3 / 4, log);
        }

        WebApplication? web = null;
        if (token is not null && config.ApiListener is { } listener)
        {
            var gateway = new SchedulerGateway(system, scheduler, config.AllowedHostPaths.IsDefault ? [] : config.AllowedHostPaths)
            {
                LocalImages = podman?.Images,
                NodeName = config.NodeName,
            };
            web = ApiServer.Build(listener, gateway, token, log, app => app.MapMetricsEndpoint(gateway.JobsAndNodes));
            await web.StartAsync(ct);
            log.Information("HTTP API token: {TokenFile}; read-only token: {ReadOnlyTokenFile}", token.Admin.Path, token.ReadOnly?.Path ?? "none");
            foreach (var file in new[] { token.Admin, token.ReadOnly }.OfType<ApiToken>().Where(t => ApiTokenFile.IsReadableByOthers(t.Path)))
            {
                log.Warning("the API token file {TokenFile} can be read by other users than its owner; chmod 600 it", file.Path);
            }
        }

        if (config.Tls is null && !config.JoinSelf)
        {
            log.Warning("the cluster transport runs without TLS (--insecure-cluster): anyone who reaches port {Port} can join and command this node", config.Port);
        }

        log.Information("sched agent {Node} started: cluster {Address}, roles {Roles}, http {Http}, podman {Socket}",
            config.NodeName, cluster.SelfAddress, string.Join(",", config.Roles), config.Http?.ToString() ?? "off", config.PodmanSocket);
        return new AgentHost(system, web, podman, store);
    }

    public Task Terminated => _system.WhenTerminated;

    /// <summary>True when the cluster downed this node (it was cut off); the process then starts a new system to rejoin.</summary>
    public bool WasDowned => ShutdownReason is CoordinatedShutdown.ClusterDowningReason;

    /// <summary>Why the actor system stopped, once it has; null while it runs or when it stopped with none.</summary>
    public CoordinatedShutdown.Reason? ShutdownReason => CoordinatedShutdown.Get(_system).ShutdownReason;

    /// <summary>This node's cluster member address, with the real port when it was started on port 0.</summary>
    public Address SelfAddress => Cluster.Get(_system).SelfAddress;

    /// <summary>The HTTP API's services (its endpoint data source, the OpenAPI document), for tests.</summary>
    internal IServiceProvider? HttpServices => _web?.Services;

    /// <summary>Where the HTTP API listens, with the real port when it was started on port 0.</summary>
    public Uri? HttpAddress => _web?.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
        .Select(a => new Uri(a)).FirstOrDefault();

    /// <summary>Job events go to every scheduler node's watchers, wherever the singleton runs.</summary>
    private static Action<JobEvent> PublishTo(ActorSystem system)
    {
        var mediator = DistributedPubSub.Get(system).Mediator;
        return evt => mediator.Tell(new Publish(ChannelRelay.EventsTopic, evt));
    }

    /// <summary>
    /// A downed node's containers may already run elsewhere: stop them before this actor system goes (if the engine
    /// does not answer in time, the agent's retries end with the system, and the node guard goes on). Any other stop
    /// is a restart or a graceful leave: the scheduler keeps the node's shards for its left grace, so the lease is
    /// set to hold the containers for three quarters of it (90 s of 120), time for a new agent to start, join and
    /// adopt them on a busy board; the last quarter is the guard's time to stop them before they run elsewhere.
    /// </summary>
    private static void FenceOrHoldLeaseOnShutdown(ActorSystem system, IActorRef agent, TimeSpan hold, ILogger log)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "fence-when-downed", async () =>
        {
            log.Information("this agent stops: {Reason}", ShutdownReasons.Describe(shutdown.ShutdownReason));
            if (shutdown.ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
            {
                await agent.Ask<Fenced>(new Fence("this node was downed by the cluster"), TimeSpan.FromSeconds(10));
            }
            else
            {
                await agent.Ask<LeaseHeld>(new HoldLease(hold), TimeSpan.FromSeconds(5));
            }

            return Done.Instance;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }

        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        _runtime?.Dispose();
        _store?.Dispose();
    }
}
