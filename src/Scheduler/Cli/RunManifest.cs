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
            manifest["env"] = Pairs(flags.Env, "-e", "-e INPUT=/data/in");
        }

        var resources = new JsonObject();
        Set(resources, "memory", flags.Memory);
        Set(resources, "cpus", flags.Cpus);
        if (resources.Count > 0)
        {
            manifest["resources"] = resources;
        }

        Set(manifest, "timeout", flags.Timeout);
        Set(manifest, "deadline", flags.Deadline);
        Set(manifest, "schedule", flags.Schedule);
        Set(manifest, "timeZone", flags.TimeZone);
        if (flags.AllowOverlap)
        {
            manifest["allowOverlap"] = true;
        }

        SetList(manifest, "after", flags.After);
        SetList(manifest, "afterAny", flags.AfterAny);
        if (flags.Parallel is { } parallel)
        {
            manifest["parallel"] = parallel;
        }

        if (flags.MaxFailed is { } maxFailed)
        {
            manifest["maxFailedShards"] = maxFailed;
        }

        if (flags.Restart is not null || flags.Backoff is not null || flags.FailOn.Length > 0)
        {
            var restart = flags.Restart is { } policy ? Restart(policy) : [];
            Set(restart, "backoff", flags.Backoff);
            if (flags.FailOn.Length > 0)
            {
                restart["failOn"] = new JsonArray([.. flags.FailOn.SelectMany(ExitCodes)]);
            }

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

        ContainerFlags(manifest, flags);
        return manifest;
    }

    /// <summary>The flags named as podman names them: -v, -p, --network, --user, --workdir, --pids-limit, ...</summary>
    private static void ContainerFlags(JsonObject manifest, RunSettings flags)
    {
        SetList(manifest, "volumes", flags.Volumes);
        SetList(manifest, "ports", flags.Publish);
        if (flags.ShardArgsFrom is { } file)
        {
            SetList(manifest, "shardArgs", ShardArgLines(file));
        }

        Set(manifest, "network", flags.Network);
        Set(manifest, "user", flags.User);
        Set(manifest, "workdir", flags.Workdir);
        if (flags.PidsLimit is { } pids)
        {
            manifest["pidsLimit"] = pids;
        }

        if (flags.ReadOnly)
        {
            manifest["readOnly"] = true;
        }

        SetList(manifest, "tmpfs", flags.Tmpfs);

        // podman's --stop-timeout counts seconds.
        Set(manifest, "stopTimeout", flags.StopTimeout is { } timeout && timeout.All(char.IsAsciiDigit) ? timeout + "s" : flags.StopTimeout);
        Set(manifest, "stopSignal", flags.StopSignal);
        if (flags.Labels.Length > 0)
        {
            manifest["labels"] = Pairs(flags.Labels, "-l", "-l team=data");
        }
    }

    /// <summary>The file's non-blank lines, one per shard; "-" reads standard input.</summary>
    private static IReadOnlyList<string> ShardArgLines(string file)
    {
        string[] lines;
        try
        {
            lines = file == "-" ? Console.In.ReadToEnd().Split('\n') : File.ReadAllLines(file);
        }
        catch (IOException e)
        {
            throw new CliException($"--shard-args-from {file}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException($"--shard-args-from {file}: {e.Message}");
        }

        var shardLines = lines.Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        return shardLines.Count > 0
            ? shardLines
            : throw new CliException($"--shard-args-from {file}: the file has no lines; write one line of arguments per shard");
    }

    private static void SetList(JsonObject manifest, string key, IReadOnlyList<string> items)
    {
        if (items.Count > 0)
        {
            manifest[key] = new JsonArray(items.Select(item => (JsonNode?)JsonValue.Create(item)).ToArray());
        }
    }

    private static JsonObject Pairs(IEnumerable<string> pairs, string flag, string example)
    {
        var mapping = new JsonObject();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"{flag} '{pair}' is not KEY=VALUE; use e.g. {example}");
            }

            mapping[pair[..equals]] = pair[(equals + 1)..];
        }

        return mapping;
    }

    /// <summary>"on-failure:3" as podman writes it becomes policy on-failure with 3 attempts.</summary>
    /// <summary>"2,64" as the numbers 2 and 64; the manifest's reader checks their range and names the field.</summary>
    private static IEnumerable<JsonNode?> ExitCodes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(code =>
            int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? (JsonNode)number
                : throw new CliException($"--fail-on '{text}': give exit codes as whole numbers, e.g. --fail-on 2,64"));

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
