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
            var repeated = 0;
            while (true)
            {
                var started = DateTime.UtcNow;
                await using var host = await AgentHost.StartAsync(config, Log.Logger, cancellationToken);
                await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), host.Terminated);
                repeated = DateTime.UtcNow - started < AgentRestart.Settled ? repeated + 1 : 0;
                var reason = host.ShutdownReason;
                if (cancellationToken.IsCancellationRequested || AgentRestart.After(reason, repeated - 1) is not { } delay)
                {
                    Log.Information("sched agent {Node} shutting down", config.NodeName);
                    return 0;
                }

                if (host.WasDowned)
                {
                    Log.Warning("sched agent {Node} was downed by the cluster; its containers are stopped; rejoining", config.NodeName);
                }
                else
                {
                    Log.Warning("sched agent {Node}: {Reason}; its containers keep running for the next incarnation to adopt; rejoining in {Delay}",
                        config.NodeName, ShutdownReasons.Describe(reason), delay);
                }

                await Task.Delay(delay, cancellationToken);
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
