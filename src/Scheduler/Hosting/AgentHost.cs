using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sched.NodeActor.Agent;
using Sched.NodeActor.Runtime;
using Sched.Scheduler.Actors;
using Sched.Scheduler.Http;
using Serilog;

namespace Sched.Scheduler.Hosting;

/// <summary>One `sched agent` process: its actor system, the scheduler singleton, the node agent and the HTTP API.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly WebApplication? _web;
    private readonly IDisposable? _runtime;

    private AgentHost(ActorSystem system, WebApplication? web, IDisposable? runtime)
    {
        _system = system;
        _web = web;
        _runtime = runtime;
    }

    /// <summary>Starts the node. Tests pass their own <paramref name="runtime"/>; otherwise the podman socket is used.</summary>
    public static async Task<AgentHost> StartAsync(AgentConfig config, ILogger log, CancellationToken ct, IContainerRuntime? runtime = null)
    {
        var system = ActorSystem.Create(ClusterHocon.SystemName, ConfigurationFactory.ParseString(ClusterHocon.For(config)));
        var cluster = Cluster.Get(system);
        if (config.JoinSelf)
        {
            cluster.Join(cluster.SelfAddress);
        }

        system.ActorOf(
            ClusterSingletonManager.Props(
                SchedulerActor.Props(TimeProvider.System, new Random(), log),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(AgentConfig.SchedulerRole)),
            "scheduler");
        var scheduler = system.ActorOf(
            ClusterSingletonProxy.Props("/user/scheduler", ClusterSingletonProxySettings.Create(system).WithRole(AgentConfig.SchedulerRole)),
            "scheduler-proxy");

        PodmanRuntime? podman = null;
        if (config.IsWorker)
        {
            runtime ??= podman = new PodmanRuntime(config.PodmanSocket);
            var options = new AgentOptions(config.NodeName, cluster.SelfAddress.ToString(), config.Reserved, config.Labels, TimeSpan.FromSeconds(5));
            system.ActorOf(NodeAgent.Props(runtime, scheduler, options, log), "agent");
        }

        WebApplication? web = null;
        if (config.IsScheduler && config.Http is { } endpoint)
        {
            web = ApiServer.Build(endpoint, new SchedulerGateway(scheduler), log);
            await web.StartAsync(ct);
        }

        log.Information("sched agent {Node} started: cluster {Address}, roles {Roles}, http {Http}, podman {Socket}",
            config.NodeName, cluster.SelfAddress, string.Join(",", config.Roles), config.Http?.ToString() ?? "off", config.PodmanSocket);
        return new AgentHost(system, web, podman);
    }

    public Task Terminated => _system.WhenTerminated;

    /// <summary>This node's cluster member address, with the real port when it was started on port 0.</summary>
    public Address SelfAddress => Cluster.Get(_system).SelfAddress;

    /// <summary>Where the HTTP API listens, with the real port when it was started on port 0.</summary>
    public Uri? HttpAddress => _web?.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
        .Select(a => new Uri(a)).FirstOrDefault();

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }

        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        _runtime?.Dispose();
    }
}
