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
    ManifestPlacement? Placement = null);

[Description("per-shard limits")]
public sealed record ManifestResources(
    [property: Description("memory limit: 256m, 256Mi, 1g, 1Gi (all binary)")] string? Memory = null,
    [property: Description("CPU cores, e.g. 0.5")] double? Cpus = null);

public sealed record ManifestRestart(
    [property: Description("on-failure (default), always or never")] string? Policy = null,
    [property: Description("restarts after the first run")] int? Attempts = null,
    [property: Description("first backoff, e.g. 2s; doubles per restart")] string? Backoff = null);

public sealed record ManifestPlacement(
    [property: Description("spread (default) or binpack")] string? Strategy = null,
    int? MaxShardsPerNode = null,
    [property: Description("rules over the node name and labels, e.g. \"node != node1\", \"arch == arm64\"")] IReadOnlyList<string>? Constraints = null);
