using Sched.NodeActor.Agent;
using Sched.NodeActor.Runtime;
using Sched.Scheduler.Guard;
using Serilog;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>`sched guard`: stop this cluster's containers on this node whenever the agent's fencing lease has run out.</summary>
public sealed class GuardCommand : AsyncCommand<GuardSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GuardSettings settings, CancellationToken cancellationToken)
    {
        var agent = AgentSettingsSources.Complete(
            new AgentSettings { Config = settings.Config, DataDir = settings.DataDir, ClusterId = settings.ClusterId, PodmanSocket = settings.PodmanSocket },
            Environment.GetEnvironmentVariable);
        var errors = new List<string>();
        var dataDir = agent.DataDir ?? AgentConfigResolver.DefaultDataDir;
        var clusterId = ClusterIds.Resolve(agent.ClusterId, dev: false, dataDir, errors);
        var socket = "";
        try
        {
            socket = PodmanSocket.Resolve(agent.PodmanSocket, Environment.GetEnvironmentVariable, PodmanSocket.CurrentUserId());
        }
        catch (ArgumentException e)
        {
            errors.Add($"--podman-socket: {e.Message}");
        }

        if (errors.Count > 0)
        {
            throw new CliException("sched guard: " + string.Join(Environment.NewLine + "sched guard: ", errors));
        }

        Log.Logger = LogSetup.Create();
        try
        {
            using var podman = new PodmanRuntime(socket, clusterId);
            var lease = FenceLease.For(dataDir, Environment.GetEnvironmentVariable);
            Log.Information("sched guard: stops the containers of cluster {Cluster} on {Socket} whenever the lease {Lease} has run out", clusterId, socket, lease.Path);
            await new NodeGuard(lease, podman, Log.Logger, TimeProvider.System).RunAsync(cancellationToken);
            return 0;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
