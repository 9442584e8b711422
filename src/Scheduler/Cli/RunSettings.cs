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

    [CommandOption("--fail-on <CODES>")]
    [Description("exit codes that fail a shard at once, without a restart, e.g. 2,64 (repeatable)")]
    public string[] FailOn { get; init; } = [];

    [CommandOption("--parallel <N>")]
    [Description("at most N of the job's shards run at once; `sched scale JOB --parallel M` changes it (default: no limit)")]
    public int? Parallel { get; init; }

    [CommandOption("--after <JOB>")]
    [Description("start once job JOB succeeded; if it fails or is stopped, this job is cancelled (repeatable)")]
    public string[] After { get; init; } = [];

    [CommandOption("--after-any <JOB>")]
    [Description("start once job JOB ended, however it ended (repeatable)")]
    public string[] AfterAny { get; init; } = [];

    [CommandOption("--schedule <CRON>")]
    [Description("run the job periodically, each time as a job of its own, e.g. \"0 3 * * *\" (03:00 daily) or @hourly; `sched stop` ends it")]
    public string? Schedule { get; init; }

    [CommandOption("--time-zone <ZONE>")]
    [Description("time zone of --schedule, e.g. Europe/Berlin (default UTC)")]
    public string? TimeZone { get; init; }

    [CommandOption("--allow-overlap")]
    [Description("with --schedule: start a run even while the previous one still runs (default: skip that run)")]
    public bool AllowOverlap { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description("longest an attempt may run, e.g. 10m; then it is stopped and counts as failed (default: no limit)")]
    public string? Timeout { get; init; }

    [CommandOption("--deadline <DURATION>")]
    [Description("longest the whole job may take, e.g. 2h; then its running shards are stopped and it fails (default: no limit)")]
    public string? Deadline { get; init; }

    [CommandOption("--max-failed <N>")]
    [Description("once more than N shards have failed, stop the others and fail the job (default: no limit)")]
    public int? MaxFailed { get; init; }

    [CommandOption("--constraint <EXPR>")]
    [Description("placement rule such as \"node != node1\" (repeatable)")]
    public string[] Constraints { get; init; } = [];

    [CommandOption("--binpack")]
    [Description("fill nodes one after another instead of spreading")]
    public bool Binpack { get; init; }

    [CommandOption("--max-per-node <N>")]
    [Description("at most N of the job's shards on one node")]
    public int? MaxPerNode { get; init; }

    [CommandOption("-v|--volume <SRC:DST[:ro]>")]
    [Description("bind mount (a host path under the agents' --allow-host-path) or named volume; ${SHARD} in SRC is the shard (repeatable)")]
    public string[] Volumes { get; init; } = [];

    [CommandOption("-p|--publish <[HOST:]PORT>")]
    [Description("publish a port: 8080:80 (fixed host port, one shard per node) or 80 (host port chosen on the node) (repeatable)")]
    public string[] Publish { get; init; } = [];

    [CommandOption("--shard-args-from <FILE>")]
    [Description("one line of arguments per shard, appended to the command; one shard per non-blank line")]
    public string? ShardArgsFrom { get; init; }

    [CommandOption("--network <NAME>")]
    [Description("an existing podman network to join")]
    public string? Network { get; init; }

    [CommandOption("-u|--user <USER[:GROUP]>")]
    [Description("user (and group) the command runs as, e.g. 1000")]
    public string? User { get; init; }

    [CommandOption("-w|--workdir <DIR>")]
    [Description("working directory in the container")]
    public string? Workdir { get; init; }

    [CommandOption("--pids-limit <N>")]
    [Description("most processes per shard (default 2048)")]
    public int? PidsLimit { get; init; }

    [CommandOption("--read-only")]
    [Description("mount the container's root filesystem read-only")]
    public bool ReadOnly { get; init; }

    [CommandOption("--tmpfs <PATH[:OPTIONS]>")]
    [Description("tmpfs mount, e.g. /tmp or /run:size=64m (repeatable)")]
    public string[] Tmpfs { get; init; } = [];

    [CommandOption("--stop-timeout <DURATION>")]
    [Description("time a stopped shard gets before it is killed, e.g. 30 (seconds, as podman) or 1m")]
    public string? StopTimeout { get; init; }

    [CommandOption("--stop-signal <SIGNAL>")]
    [Description("signal that stops a shard, e.g. SIGINT (default SIGTERM)")]
    public string? StopSignal { get; init; }

    [CommandOption("-l|--label <KEY=VALUE>")]
    [Description("extra container label; keys may not start with sched. (repeatable)")]
    public string[] Labels { get; init; } = [];
}

/// <summary>Options of the commands that submit a job and then follow it.</summary>
public class WatchSettings : ClientSettings
{
    [CommandOption("-d|--detach")]
    [Description("print the job id and return at once instead of following the job")]
    public bool Detach { get; init; }
}
