using System.Globalization;
using System.Text.Json.Nodes;

namespace Sched.Scheduler.Cli;

/// <summary>Maps `sched run` flags one to one onto a manifest; the server validates it like any other.</summary>
public static class RunManifest
{
    public static JsonObject FromFlags(RunSettings flags, IReadOnlyList<string> command)
    {
        var manifest = new JsonObject { ["image"] = flags.Image };
        Set(manifest, "name", flags.Name);
        if (flags.Shards is { } shards)
        {
            manifest["shards"] = shards;
        }

        Set(manifest, "type", flags.Type);
        if (command.Count > 0)
        {
            manifest["command"] = new JsonArray(command.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        }

        if (flags.Env.Length > 0)
        {
            manifest["env"] = Env(flags.Env);
        }

        var resources = new JsonObject();
        Set(resources, "memory", flags.Memory);
        Set(resources, "cpus", flags.Cpus);
        if (resources.Count > 0)
        {
            manifest["resources"] = resources;
        }

        if (flags.Restart is not null || flags.Backoff is not null)
        {
            var restart = flags.Restart is { } policy ? Restart(policy) : [];
            Set(restart, "backoff", flags.Backoff);
            manifest["restart"] = restart;
        }

        if (flags.Binpack || flags.Constraints.Length > 0 || flags.MaxPerNode is not null)
        {
            var placement = new JsonObject();
            Set(placement, "strategy", flags.Binpack ? "binpack" : null);
            if (flags.MaxPerNode is { } maxPerNode)
            {
                placement["maxShardsPerNode"] = maxPerNode;
            }

            if (flags.Constraints.Length > 0)
            {
                placement["constraints"] = new JsonArray(flags.Constraints.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
            }

            manifest["placement"] = placement;
        }

        return manifest;
    }

    private static JsonObject Env(IEnumerable<string> pairs)
    {
        var env = new JsonObject();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"-e '{pair}' is not KEY=VALUE; use e.g. -e INPUT=/data/in");
            }

            env[pair[..equals]] = pair[(equals + 1)..];
        }

        return env;
    }

    /// <summary>"on-failure:3" as podman writes it becomes policy on-failure with 3 attempts.</summary>
    private static JsonObject Restart(string text)
    {
        var parts = text.Split(':', 2);
        var restart = new JsonObject { ["policy"] = parts[0] };
        if (parts.Length == 2)
        {
            restart["attempts"] = int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var attempts)
                ? attempts
                : throw new CliException($"--restart '{text}': the attempts after ':' must be a whole number, e.g. on-failure:3");
        }

        return restart;
    }

    private static void Set(JsonObject target, string key, string? value)
    {
        if (value is not null)
        {
            target[key] = value;
        }
    }
}
