using System.Reflection;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>The `sched` command line: one command per file, registered here.</summary>
public static class SchedCli
{
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("sched");
            config.SetApplicationVersion(typeof(SchedCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");
            config.AddCommand<AgentCommand>("agent").WithDescription("run the node agent (and the scheduler on scheduler nodes)");
            config.AddCommand<RunCommand>("run").WithDescription("run IMAGE as a sharded job and follow it")
                .WithExample("run", "my-processor", "--shards", "7", "--memory", "64Mi", "--cpus", "0.25");
            config.AddCommand<SubmitCommand>("submit").WithDescription("submit a job manifest (YAML or JSON) and follow it");
            config.AddCommand<JobsCommand>("jobs").WithDescription("list jobs");
            config.AddCommand<StatusCommand>("status").WithDescription("show a job and its shards");
            config.AddCommand<NodesCommand>("nodes").WithDescription("list nodes with capacity and allocation");
            config.AddCommand<StopCommand>("stop").WithDescription("stop a job and remove its containers");
            config.AddCommand<LogsCommand>("logs").WithDescription("print a shard's container log (--follow to keep reading)");
            config.AddCommand<WatchCommand>("watch").WithDescription("stream placements and state changes as they happen");
            CertCommands.AddTo(config);
            config.SetExceptionHandler((exception, _) =>
            {
                var message = exception is CliException or CommandParseException or CommandRuntimeException
                    ? exception.Message
                    : exception.ToString();
                Console.Error.WriteLine($"sched: {message}");
                return 2;
            });
        });
        return app;
    }
}
