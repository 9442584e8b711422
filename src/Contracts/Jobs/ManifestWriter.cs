using System.Text.Json.Nodes;
using Sched.Contracts.Jobs.Manifest;
using Sched.Contracts.Quantities;

namespace Sched.Contracts.Jobs;

/// <summary>
/// Writes a spec back in manifest form, which <see cref="ManifestParser.FromJson"/> reads back to an equal spec.
/// Empty optional fields (command, env, maxShardsPerNode, constraints) are left out.
/// </summary>
public static class ManifestWriter
{
    public static JsonObject ToJson(JobSpec spec)
    {
        var manifest = new JsonObject { ["name"] = spec.Name, ["image"] = spec.Image };
        if (!spec.Command.IsDefaultOrEmpty)
        {
            manifest["command"] = new JsonArray([.. spec.Command.Select(part => JsonValue.Create(part))]);
        }

        if (spec.Env.Count > 0)
        {
            manifest["env"] = new JsonObject(spec.Env.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));
        }

        manifest["shards"] = spec.Shards;
        manifest["type"] = ManifestChoices.NameOf(ManifestChoices.JobTypes, spec.Type);
        manifest["resources"] = new JsonObject
        {
            ["memory"] = ExactMemory(spec.Resources.MemoryBytes),
            ["cpus"] = spec.Resources.MilliCpus / 1000m,
        };
        manifest["restart"] = new JsonObject
        {
            ["policy"] = ManifestChoices.NameOf(ManifestChoices.RestartModes, spec.Restart.Mode),
            ["attempts"] = spec.Restart.Attempts,
            ["backoff"] = Duration.Format(spec.Restart.Backoff),
        };
        if (!spec.Restart.FailOn.IsDefaultOrEmpty)
        {
            manifest["restart"]!["failOn"] = new JsonArray([.. spec.Restart.FailOn.Select(code => (JsonNode)code)]);
        }

        if (spec.Parallel is { } parallel)
        {
            manifest["parallel"] = parallel;
        }

        if (spec.After is { } after)
        {
            WriteList(manifest, "after", after.Succeeded);
            WriteList(manifest, "afterAny", after.Ended);
        }

        if (spec.Schedule is { } schedule)
        {
            manifest["schedule"] = schedule.Cron;
            manifest["timeZone"] = schedule.TimeZone;
            if (schedule.AllowOverlap)
            {
                manifest["allowOverlap"] = true;
            }
        }

        if (spec.Timeout is { } timeout)
        {
            manifest["timeout"] = Duration.Format(timeout);
        }

        if (spec.Deadline is { } deadline)
        {
            manifest["deadline"] = Duration.Format(deadline);
        }

        if (spec.MaxFailedShards is { } maxFailed)
        {
            manifest["maxFailedShards"] = maxFailed;
        }

        manifest["placement"] = Placement(spec.Placement);
        if (spec.Container is { } container)
        {
            WriteContainer(manifest, container);
        }

        return manifest;
    }

    private static void WriteContainer(JsonObject manifest, ContainerOptions options)
    {
        WriteList(manifest, "volumes", options.Volumes.Select(v => v.ToString()));
        WriteList(manifest, "ports", options.Ports.Select(p => p.ToString()));
        WriteList(manifest, "shardArgs", options.ShardArgs);
        WriteText(manifest, "network", options.Network);
        WriteText(manifest, "user", options.User);
        WriteText(manifest, "workdir", options.Workdir);
        if (options.PidsLimit is { } pids)
        {
            manifest["pidsLimit"] = pids;
        }

        if (options.ReadOnly)
        {
            manifest["readOnly"] = true;
        }

        WriteList(manifest, "tmpfs", options.Tmpfs);
        WriteText(manifest, "stopTimeout", options.StopTimeout is { } timeout ? Duration.Format(timeout) : null);
        WriteText(manifest, "stopSignal", options.StopSignal);
        if (options.Labels.Count > 0)
        {
            manifest["labels"] = new JsonObject(options.Labels.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));
        }
    }

    private static void WriteList(JsonObject manifest, string field, IEnumerable<string> items)
    {
        var array = new JsonArray([.. items.Select(item => JsonValue.Create(item))]);
        if (array.Count > 0)
        {
            manifest[field] = array;
        }
    }

    private static void WriteText(JsonObject manifest, string field, string? value)
    {
        if (value is not null)
        {
            manifest[field] = value;
        }
    }

    private static JsonObject Placement(PlacementRules rules)
    {
        var placement = new JsonObject
        {
            ["strategy"] = ManifestChoices.NameOf(ManifestChoices.PlacementStrategies, rules.Strategy),
        };
        if (rules.MaxShardsPerNode is { } cap)
        {
            placement["maxShardsPerNode"] = cap;
        }

        if (!rules.Constraints.IsDefaultOrEmpty)
        {
            placement["constraints"] = new JsonArray([.. rules.Constraints.Select(rule => JsonValue.Create(rule.ToString()))]);
        }

        return placement;
    }

    // The short form rounds sizes that have no exact one (e.g. 1.21Gi); those are written as a byte count.
    private static string ExactMemory(long bytes)
    {
        var text = Quantity.FormatMemory(bytes);
        return Quantity.TryParseMemory(text, out var readBack) && readBack == bytes
            ? text
            : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
