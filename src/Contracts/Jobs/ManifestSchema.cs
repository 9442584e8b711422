using System.Collections.Immutable;

namespace Sched.Contracts.Jobs;

public enum ManifestFieldKind { Section, Text, TextList, TextMap, WholeNumber, WholeNumberList, Choice, Size, Cpus, Duration, Flag }

/// <summary>
/// One manifest field. <paramref name="Path"/> is dotted (<c>resources.memory</c>); <paramref name="Default"/> is
/// what the writer writes when the manifest leaves the field out, or null when it writes nothing or a derived value.
/// </summary>
public sealed record ManifestField(string Path, ManifestFieldKind Kind, string Description, string? Default = null)
{
    /// <summary>The dotted path of the section holding it; empty for the top level.</summary>
    public string Section => Path.Contains('.', StringComparison.Ordinal) ? Path[..Path.LastIndexOf('.')] : "";

    public string Name => Path[(Path.LastIndexOf('.') + 1)..];
}

/// <summary>
/// Every manifest field, in the order messages list them. The parser takes its known fields from here; tests check
/// the parser, the writer, the OpenAPI document and the CLI's flags against it. A new field starts here.
/// </summary>
public static class ManifestSchema
{
    public static readonly ImmutableArray<ManifestField> Fields =
    [
        new("name", ManifestFieldKind.Text, "job name: 1 to 40 lowercase letters, digits and '-'; default: from the image"),
        new("image", ManifestFieldKind.Text, "image to run, e.g. my-processor:latest; required"),
        new("command", ManifestFieldKind.TextList, "replaces the image's command"),
        new("args", ManifestFieldKind.TextList, "appended to command"),
        new("env", ManifestFieldKind.TextMap, "environment of every shard"),
        new("shards", ManifestFieldKind.WholeNumber, "number of shards, 1..10000", "1"),
        new("type", ManifestFieldKind.Choice, "batch (runs to completion) or service (kept running)", "batch"),
        new("resources", ManifestFieldKind.Section, "per-shard limits"),
        new("resources.memory", ManifestFieldKind.Size, "memory limit: 256m, 256Mi, 1g, 1Gi (all binary), at least 6Mi", "256Mi"),
        new("resources.cpus", ManifestFieldKind.Cpus, "CPU cores, e.g. 0.5", "0.5"),
        new("restart", ManifestFieldKind.Section, "what to do when a shard's container exits"),
        new("restart.policy", ManifestFieldKind.Choice, "on-failure, always or never", "on-failure"),
        new("restart.attempts", ManifestFieldKind.WholeNumber, "restarts after the first run, 0..100", "3"),
        new("restart.backoff", ManifestFieldKind.Duration, "first wait before a restart, e.g. 2s; doubles per restart; at most 1h", "2s"),
        new("restart.failOn", ManifestFieldKind.WholeNumberList, "exit codes (1..255) that fail the shard at once, without a restart, e.g. [2, 64]"),
        new("parallel", ManifestFieldKind.WholeNumber, "at most this many of the job's shards run at once, 1..10000 (sched scale changes it while the job runs); default: no limit"),
        new("after", ManifestFieldKind.TextList, "ids of jobs that must succeed before this one starts, e.g. [shards-4f2a1c]; if one fails or is stopped, this job is cancelled"),
        new("afterAny", ManifestFieldKind.TextList, "ids of jobs that must end (in any way) before this one starts, e.g. [shards-4f2a1c]"),
        new("schedule", ManifestFieldKind.Text, "runs the job periodically, each time as a job of its own: a cron expression, e.g. \"*/15 * * * *\" or \"0 3 * * *\" (6 fields: seconds first; or @hourly, @daily)"),
        new("timeZone", ManifestFieldKind.Text, "time zone of the schedule, an IANA name such as Europe/Berlin; default UTC"),
        new("allowOverlap", ManifestFieldKind.Flag, "true starts a run even while the previous one still runs; default false (that occurrence is skipped)"),
        new("timeout", ManifestFieldKind.Duration, "longest an attempt may run, e.g. 10m; then it is stopped and counts as failed (timed-out), 1s..720h; default: no limit"),
        new("deadline", ManifestFieldKind.Duration, "longest the whole job may take from its submission (or rerun), e.g. 2h; then its shards still running are stopped and the job fails, 1s..720h; default: no limit"),
        new("maxFailedShards", ManifestFieldKind.WholeNumber, "once more than this many shards have failed, the job's other shards are stopped and the job fails, 0..10000; default: no limit"),
        new("placement", ManifestFieldKind.Section, "where shards may run"),
        new("placement.strategy", ManifestFieldKind.Choice, "spread or binpack", "spread"),
        new("placement.maxShardsPerNode", ManifestFieldKind.WholeNumber, "at most this many of the job's shards on one node"),
        new("placement.constraints", ManifestFieldKind.TextList, "rules over the node name and labels, e.g. \"node != node1\", \"arch == arm64\""),
        new("volumes", ManifestFieldKind.TextList, "mounts as podman -v writes them: /data/in:/in:ro (a host path under the agents' --allow-host-path) or cache:/cache (a named volume); sources may hold ${SHARD}"),
        new("ports", ManifestFieldKind.TextList, "published ports as podman -p writes them: 8080:80 (fixed host port, one shard per node) or 80 (a host port chosen on the node, in SCHED_PORT_80)"),
        new("shardArgs", ManifestFieldKind.TextList, "one line of arguments per shard, appended to command; the number of shards follows the list"),
        new("network", ManifestFieldKind.Text, "an existing podman network to join, e.g. backend"),
        new("user", ManifestFieldKind.Text, "user (and group) the command runs as, e.g. 1000 or 1000:1000"),
        new("workdir", ManifestFieldKind.Text, "working directory in the container, e.g. /w"),
        new("pidsLimit", ManifestFieldKind.WholeNumber, "most processes the container may have, 1..32768; default 2048"),
        new("readOnly", ManifestFieldKind.Flag, "true mounts the container's root filesystem read-only; default false"),
        new("tmpfs", ManifestFieldKind.TextList, "tmpfs mounts as podman --tmpfs writes them, e.g. /tmp or /run:size=64m"),
        new("stopTimeout", ManifestFieldKind.Duration, "how long a stopped shard gets after the stop signal before it is killed, e.g. 30s; at most 10m"),
        new("stopSignal", ManifestFieldKind.Text, "signal that stops a shard, e.g. SIGINT; default SIGTERM"),
        new("labels", ManifestFieldKind.TextMap, "extra container labels; keys may not start with sched."),
    ];

    /// <summary>The names of the fields directly in a section (dotted path; empty for the top level).</summary>
    public static IReadOnlyList<string> FieldsOf(string section) =>
        [.. Fields.Where(field => field.Section == section).Select(field => field.Name)];
}
