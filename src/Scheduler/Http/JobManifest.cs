using System.ComponentModel;

namespace Sched.Scheduler.Http;

/// <summary>
/// The manifest that <c>POST /v1/jobs</c> accepts, as the OpenAPI document describes it. The endpoint reads the
/// body with ManifestParser (YAML or JSON, with its own messages), so this type only gives the document its shape;
/// JobManifestSchemaSpecs checks that its fields are those of ManifestSchema.
/// </summary>
[Description("A job manifest (application/json or application/yaml); only image is required.")]
public sealed record JobManifest(
    [property: Description("image to run, e.g. my-processor:latest")] string Image,
    [property: Description("job name; default: from the image")] string? Name = null,
    [property: Description("replaces the image's command")] IReadOnlyList<string>? Command = null,
    [property: Description("appended to command")] IReadOnlyList<string>? Args = null,
    [property: Description("environment of every shard")] IReadOnlyDictionary<string, string>? Env = null,
    [property: Description("number of shards, 1..10000; default 1")] int? Shards = null,
    [property: Description("batch (default: runs to completion) or service (kept running)")] string? Type = null,
    ManifestResources? Resources = null,
    ManifestRestart? Restart = null,
    ManifestPlacement? Placement = null,
    [property: Description("mounts as podman -v writes them: /data/in:/in:ro (a host path under the agents' --allow-host-path) or cache:/cache; sources may hold ${SHARD}, ${SHARD_INDEX}, ${SHARD_COUNT}, ${SCHED_JOB}, ${SCHED_NODE}")] IReadOnlyList<string>? Volumes = null,
    [property: Description("published ports as podman -p writes them: 8080:80 (fixed host port, one shard per node) or 80 (host port chosen on the node, in SCHED_PORT_80 and the shard's ports)")] IReadOnlyList<string>? Ports = null,
    [property: Description("one line of arguments per shard, appended to command; the number of shards follows the list")] IReadOnlyList<string>? ShardArgs = null,
    [property: Description("an existing podman network to join")] string? Network = null,
    [property: Description("user (and group) the command runs as, e.g. 1000 or 1000:1000")] string? User = null,
    [property: Description("working directory in the container")] string? Workdir = null,
    [property: Description("most processes per shard, 1..32768; default 2048")] int? PidsLimit = null,
    [property: Description("mount the root filesystem read-only; default false")] bool? ReadOnly = null,
    [property: Description("tmpfs mounts, e.g. /tmp or /run:size=64m")] IReadOnlyList<string>? Tmpfs = null,
    [property: Description("time a stopped shard gets before it is killed, e.g. 30s; at most 10m")] string? StopTimeout = null,
    [property: Description("signal that stops a shard, e.g. SIGINT; default SIGTERM")] string? StopSignal = null,
    [property: Description("extra container labels; keys may not start with sched.")] IReadOnlyDictionary<string, string>? Labels = null,
    [property: Description("once more than this many shards have failed, the others are stopped and the job fails")] int? MaxFailedShards = null,
    [property: Description("longest an attempt may run, e.g. 10m; then it is stopped and counts as failed")] string? Timeout = null,
    [property: Description("at most this many of the job's shards run at once; PATCH /v1/jobs/{id} changes it")] int? Parallel = null,
    [property: Description("ids of jobs that must succeed before this one starts; if one fails or is stopped, this job is cancelled")] IReadOnlyList<string>? After = null,
    [property: Description("ids of jobs that must end, in any way, before this one starts")] IReadOnlyList<string>? AfterAny = null,
    [property: Description("longest the whole job may take from its submission (or rerun), e.g. 2h; then its running shards are stopped and it fails")] string? Deadline = null,
    [property: Description("runs the job periodically, each time as a job of its own: a cron expression, e.g. \"*/15 * * * *\" (6 fields: seconds first; or @hourly)")] string? Schedule = null,
    [property: Description("time zone of the schedule, an IANA name such as Europe/Berlin; default UTC")] string? TimeZone = null,
    [property: Description("start a run even while the previous one still runs; default false (that occurrence is skipped)")] bool? AllowOverlap = null);

[Description("per-shard limits")]
public sealed record ManifestResources(
    [property: Description("memory limit: 256m, 256Mi, 1g, 1Gi (all binary)")] string? Memory = null,
    [property: Description("CPU cores, e.g. 0.5")] double? Cpus = null);

public sealed record ManifestRestart(
    [property: Description("on-failure (default), always or never")] string? Policy = null,
    [property: Description("restarts after the first run")] int? Attempts = null,
    [property: Description("first backoff, e.g. 2s; doubles per restart")] string? Backoff = null,
    [property: Description("exit codes (1..255) that fail the shard at once, without a restart, e.g. [2, 64]")] IReadOnlyList<int>? FailOn = null);

public sealed record ManifestPlacement(
    [property: Description("spread (default) or binpack")] string? Strategy = null,
    int? MaxShardsPerNode = null,
    [property: Description("rules over the node name and labels, e.g. \"node != node1\", \"arch == arm64\"")] IReadOnlyList<string>? Constraints = null);
