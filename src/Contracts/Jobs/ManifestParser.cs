using System.Text.Json.Nodes;
using Sched.Contracts.Jobs.Manifest;

namespace Sched.Contracts.Jobs;

/// <summary>
/// Reads a job manifest (DESIGN.md §3) into a <see cref="JobSpec"/>, filling in defaults, or reports every
/// problem at once, each naming its field, the accepted form and an example.
/// </summary>
public static class ManifestParser
{
    /// <summary>Field used for problems with the manifest as a whole, such as a syntax error.</summary>
    public const string ManifestField = "manifest";

    public const int MaxShards = 10_000;

    private static readonly IReadOnlyList<string> TopLevelFields = ManifestSchema.FieldsOf("");

    public static ManifestResult Parse(string text, ManifestFormat format) =>
        ManifestText.TryRead(text, format, out var tree, out var error) ? FromJson(tree) : Failure(error);

    /// <summary>Reads a manifest already parsed to a JSON tree; YAML manifests arrive here converted.</summary>
    public static ManifestResult FromJson(JsonNode? node)
    {
        if (node is not JsonObject root)
        {
            return Failure(node is null
                ? "is empty; a manifest needs at least an image, e.g. image: my-processor:latest"
                : $"must be a mapping of fields such as image and shards, not {ManifestValues.Describe(node)}; e.g. image: my-processor:latest");
        }

        var errors = new FieldErrors();
        var job = ManifestSection.Open(root, "", TopLevelFields, "image: my-processor:latest", errors);
        var image = JobIdentityReader.ReadImage(job, errors);
        var name = JobIdentityReader.ReadName(job, image, errors);
        var command = CommandReader.Read(job, errors);
        var env = EnvReader.Read(job["env"], errors);
        var shards = ManifestValues.ReadWholeNumber(job["shards"], "shards", 1, MaxShards, 1, "shards: 4", errors);
        var type = ManifestValues.ReadChoice(job["type"], "type", ManifestChoices.JobTypes, JobType.Batch, errors);
        var resources = ResourcesReader.Read(job["resources"], errors);
        var restart = RestartReader.Read(job["restart"], errors);
        var placement = PlacementReader.Read(job["placement"], errors);
        var container = ContainerOptionsReader.Read(job, errors);
        var maxFailed = ManifestValues.ReadWholeNumber(job["maxFailedShards"], "maxFailedShards", 0, MaxShards, -1, "maxFailedShards: 2", errors);
        var timeout = TimeoutReader.Read(job["timeout"], errors);
        var deadline = TimeoutReader.Read(job["deadline"], errors, "deadline", "2h");
        var parallel = ManifestValues.ReadWholeNumber(job["parallel"], "parallel", 1, MaxShards, 0, "parallel: 2", errors);
        var after = DependencyReader.Read(job, errors);
        var schedule = ScheduleReader.Read(job, errors);
        shards = ShardsFollowingArgs(job["shards"] is not null, shards, container.ShardArgs, errors);
        StartMessageBudget.Check(image, command, env, container, errors);

        if (!errors.IsEmpty || image is null || name is null)
        {
            return new ManifestResult(null, errors.ToImmutable());
        }

        var spec = new JobSpec(name, image, command, env, shards, type, resources, restart, placement, container.IsNone ? null : container)
        {
            MaxFailedShards = maxFailed < 0 ? null : maxFailed,
            Timeout = timeout,
            Parallel = parallel == 0 ? null : parallel,
            After = after,
            Deadline = deadline,
            Schedule = schedule,
        };
        return new ManifestResult(spec, []);
    }

    /// <summary>With shardArgs, there is one shard per line; a shards field that says otherwise is an error.</summary>
    private static int ShardsFollowingArgs(bool shardsGiven, int shards, IReadOnlyList<string> shardArgs, FieldErrors errors)
    {
        if (shardArgs.Count == 0)
        {
            return shards;
        }

        if (shardArgs.Count > MaxShards)
        {
            errors.Add("shardArgs", $"has {shardArgs.Count} lines; at most {MaxShards} shards, one per line");
        }
        else if (shardsGiven && shards != shardArgs.Count)
        {
            errors.Add("shardArgs", $"has {shardArgs.Count} lines but shards is {shards}; leave shards out (the number of shards follows the list) or make them agree");
        }

        return shardArgs.Count;
    }

    private static ManifestResult Failure(string message) => new(null, [new FieldError(ManifestField, message)]);
}
