using System.ComponentModel;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public sealed class RunSettings : WatchSettings
{
    [CommandArgument(0, "<IMAGE>")]
    [Description("container image, e.g. my-processor or my-processor:latest")]
    public string Image { get; init; } = "";

    [CommandOption("--shards <N>")]
    [Description("number of shards (containers); each gets SHARD=1..N")]
    public int? Shards { get; init; }

    [CommandOption("-m|--memory <SIZE>")]
    [Description("memory limit per shard, e.g. 256Mi, 256m, 1Gi")]
    public string? Memory { get; init; }

    [CommandOption("--cpus <CPUS>")]
    [Description("CPU limit per shard, e.g. 0.5")]
    public string? Cpus { get; init; }

    [CommandOption("-e|--env <KEY=VALUE>")]
    [Description("environment variable for every shard (repeatable)")]
    public string[] Env { get; init; } = [];

    [CommandOption("--name <NAME>")]
    [Description("job name (default: from the image)")]
    public string? Name { get; init; }

    [CommandOption("--type <TYPE>")]
    [Description("batch (run to completion, default) or service (kept running)")]
    public string? Type { get; init; }

    [CommandOption("--restart <POLICY>")]
    [Description("on-failure[[:ATTEMPTS]], always or never (default on-failure:3)")]
    public string? Restart { get; init; }

    [CommandOption("--backoff <DURATION>")]
    [Description("first wait before a restart, e.g. 2s; doubles per restart (default 2s)")]
    public string? Backoff { get; init; }

    [CommandOption("--constraint <EXPR>")]
    [Description("placement rule such as \"node != node1\" (repeatable)")]
    public string[] Constraints { get; init; } = [];

    [CommandOption("--binpack")]
    [Description("fill nodes one after another instead of spreading")]
    public bool Binpack { get; init; }

    [CommandOption("--max-per-node <N>")]
    [Description("at most N of the job's shards on one node")]
    public int? MaxPerNode { get; init; }
}

/// <summary>Options of the commands that submit a job and then follow it.</summary>
public class WatchSettings : ClientSettings
{
    [CommandOption("-d|--detach")]
    [Description("print the job id and return at once instead of following the job")]
    public bool Detach { get; init; }
}
