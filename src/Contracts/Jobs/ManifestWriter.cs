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
        manifest["placement"] = Placement(spec.Placement);
        return manifest;
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
