using System.Reflection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>
/// The `sched` command line: one command per file, registered here. Parsing is strict: a flag the command does
/// not have is an error naming the nearest one it has; everything after `--` is passed through untouched.
/// </summary>
public sealed class SchedCli
{
    private readonly TextWriter _errors;
    private readonly IAnsiConsole? _console;
    private readonly Dictionary<string, Type> _settingsByCommand = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _args = [];

    private SchedCli(TextWriter errors, IAnsiConsole? console)
    {
        _errors = errors;
        _console = console;
    }

    /// <param name="errors">Where usage errors go; standard error unless a test captures them.</param>
    /// <param name="console">Where help goes; the terminal unless a test captures it.</param>
    public static SchedCli Create(TextWriter? errors = null, IAnsiConsole? console = null) => new(errors ?? Console.Error, console);

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        _args = args;
        var app = new CommandApp();
        app.Configure(Configure);
        if (MissingFlagValue.Describe(args, _settingsByCommand) is { } missing)
        {
            _errors.WriteLine($"sched: {missing}");
            return Task.FromResult(2);
        }

        return app.RunAsync(args, cancellationToken);
    }

    private void Configure(IConfigurator config)
    {
        if (_console is not null)
        {
            config.ConfigureConsole(_console);
        }

        config.SetApplicationName("sched");
        config.SetApplicationVersion(typeof(SchedCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");
        config.UseStrictParsing();
        Add<AgentCommand>(config, "agent", "run the node agent (and the scheduler on scheduler nodes)");
        Add<GuardCommand>(config, "guard", "stop this cluster's containers on this node whenever the agent's fencing lease runs out");
        Add<RunCommand>(config, "run", "run IMAGE as a sharded job and follow it")
            .WithExample("run", "my-processor", "--shards", "7", "--memory", "64Mi", "--cpus", "0.25")
            .WithExample("run", "busybox", "--shards", "3", "--", "sh", "-c", "'echo shard $SHARD'");
        Add<SubmitCommand>(config, "submit", "submit a job manifest (YAML or JSON) and follow it");
        Add<JobsCommand>(config, "jobs", "list jobs");
        Add<StatusCommand>(config, "status", "show a job and its shards");
        Add<NodesCommand>(config, "nodes", "list nodes with capacity and allocation");
        Add<ImagesCommand>(config, "images", "list which node holds which image");
        Add<StopCommand>(config, "stop", "stop a job and remove its containers");
        Add<PlanCommand>(config, "plan", "show where a manifest's shards would go now, or why they would wait; stores and starts nothing");
        Add<RerunCommand>(config, "rerun", "run the shards of a finished job that did not succeed again (or --shards 3,5), and follow it")
            .WithExample("rerun", "my-processor-4f2a1c")
            .WithExample("rerun", "my-processor-4f2a1c", "--shards", "3,5");
        Add<ScaleCommand>(config, "scale", "change how many of a running job's shards may run at once");
        Add<LogsCommand>(config, "logs", "print a job's container logs: every shard's, or one with --shard N (--follow to keep reading)");
        Add<WatchCommand>(config, "watch", "stream placements and state changes as they happen");
        config.AddBranch("image", image =>
        {
            image.SetDescription("move images into the cluster");
            image.AddCommand<ImagePushCommand>("push").WithDescription("stream an image from this machine's podman into the cluster, for an image built here")
                .WithExample("image", "push", "my-processor");
        });
        _settingsByCommand["image push"] = typeof(ImagePushSettings);
        CertCommands.AddTo(config);
        _settingsByCommand["cert init"] = typeof(CertSettings);
        _settingsByCommand["cert issue"] = SettingsTypeOf(typeof(CertIssueCommand));
        config.SetExceptionHandler((exception, _) =>
        {
            var message = exception switch
            {
                CommandParseException when UnknownFlag.Describe(exception.Message, _args, _settingsByCommand) is { } unknown => unknown,
                CliException or CommandParseException or CommandRuntimeException => exception.Message,
                _ => exception.ToString(),
            };
            // Messages that already name their command ("sched agent: ...") are not prefixed again.
            _errors.WriteLine(message.StartsWith("sched ", StringComparison.Ordinal) ? message : $"sched: {message}");
            return 2;
        });
    }

    private ICommandConfigurator Add<TCommand>(IConfigurator config, string name, string description)
        where TCommand : class, ICommand
    {
        _settingsByCommand[name] = SettingsTypeOf(typeof(TCommand));
        return config.AddCommand<TCommand>(name).WithDescription(description);
    }

    private static Type SettingsTypeOf(Type command) =>
        command.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)).GetGenericArguments()[0];
}
