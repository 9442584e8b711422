using Sched.Scheduler.Durability;
using Sched.Scheduler.Hosting;
using Sched.Scheduler.Http.Auth;
using Serilog;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>`sched agent`: run this node's actor system until SIGINT or SIGTERM.</summary>
public sealed class AgentCommand : AsyncCommand<AgentSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AgentSettings settings, CancellationToken cancellationToken)
    {
        var complete = AgentSettingsSources.Complete(settings, Environment.GetEnvironmentVariable);
        var config = AgentConfigResolver.Resolve(complete, Environment.GetEnvironmentVariable, Environment.MachineName);
        Log.Logger = LogSetup.Create();
        try
        {
            while (true)
            {
                await using var host = await AgentHost.StartAsync(config, Log.Logger, cancellationToken);
                await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), host.Terminated);
                if (cancellationToken.IsCancellationRequested || !host.WasDowned)
                {
                    Log.Information("sched agent {Node} shutting down", config.NodeName);
                    return 0;
                }

                Log.Warning("sched agent {Node} was downed by the cluster; its containers are stopped; rejoining", config.NodeName);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
        catch (Exception e) when (e is StateFileException or TokenFileException)
        {
            Log.Fatal("sched agent cannot start: {Error}", e.Message);
            throw new CliException(e.Message);
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
