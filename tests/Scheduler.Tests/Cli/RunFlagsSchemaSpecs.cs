using System.Text.Json.Nodes;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Cli;

namespace Sched.Scheduler.Tests.Cli;

/// <summary>
/// `sched run`'s flags and the manifest schema cannot drift apart: every field of the schema is set by a flag (or is
/// named below as reached another way), and every flag of `sched run` that is not about following the job sets one.
/// </summary>
public sealed class RunFlagsSchemaSpecs
{
    private static readonly Lazy<string> ShardArgsFile = new(() =>
    {
        var file = Path.Combine(Path.GetTempPath(), $"sched-shard-args-{Environment.ProcessId}.txt");
        File.WriteAllLines(file, ["--part a", "--part b"]);
        return file;
    });

    /// <summary>Each schema field, and the settings that set it through `sched run`.</summary>
    private static readonly Dictionary<string, (string Flag, Func<RunSettings, RunSettings> Set, IReadOnlyList<string> Command)> ByField = new()
    {
        ["name"] = ("--name", s => Copy(s, name: "probe"), []),
        ["image"] = ("<IMAGE>", s => s, []),
        ["command"] = ("-- COMMAND", s => s, ["/bin/process"]),
        ["args"] = ("-- COMMAND ARGS", s => s, ["/bin/process", "--verbose"]),
        ["env"] = ("--env", s => Copy(s, env: ["A=1"]), []),
        ["shards"] = ("--shards", s => Copy(s, shards: 3), []),
        ["type"] = ("--type", s => Copy(s, type: "service"), []),
        ["resources.memory"] = ("--memory", s => Copy(s, memory: "64Mi"), []),
        ["resources.cpus"] = ("--cpus", s => Copy(s, cpus: "0.25"), []),
        ["restart.policy"] = ("--restart", s => Copy(s, restart: "never"), []),
        ["restart.attempts"] = ("--restart", s => Copy(s, restart: "on-failure:5"), []),
        ["restart.backoff"] = ("--backoff", s => Copy(s, backoff: "5s"), []),
        ["parallel"] = ("--parallel", s => new RunSettings { Image = s.Image, Parallel = 2 }, []),
        ["deadline"] = ("--deadline", s => new RunSettings { Image = s.Image, Deadline = "2h" }, []),
        ["schedule"] = ("--schedule", s => new RunSettings { Image = s.Image, Schedule = "@hourly" }, []),
        ["timeZone"] = ("--time-zone", s => new RunSettings { Image = s.Image, Schedule = "@hourly", TimeZone = "Europe/Berlin" }, []),
        ["allowOverlap"] = ("--allow-overlap", s => new RunSettings { Image = s.Image, Schedule = "@hourly", AllowOverlap = true }, []),
        ["after"] = ("--after", s => new RunSettings { Image = s.Image, After = ["extract-0a1b2c"] }, []),
        ["afterAny"] = ("--after-any", s => new RunSettings { Image = s.Image, AfterAny = ["extract-0a1b2c"] }, []),
        ["timeout"] = ("--timeout", s => new RunSettings { Image = s.Image, Timeout = "10m" }, []),
        ["maxFailedShards"] = ("--max-failed", s => new RunSettings { Image = s.Image, MaxFailed = 1 }, []),
        ["restart.failOn"] = ("--fail-on", s => new RunSettings { Image = s.Image, FailOn = ["2,64"] }, []),
        ["placement.strategy"] = ("--binpack", s => Copy(s, binpack: true), []),
        ["placement.maxShardsPerNode"] = ("--max-per-node", s => Copy(s, maxPerNode: 2), []),
        ["placement.constraints"] = ("--constraint", s => Copy(s, constraints: ["node != node1"]), []),
        ["volumes"] = ("--volume", s => new RunSettings { Image = s.Image, Volumes = ["cache:/cache"] }, []),
        ["ports"] = ("--publish", s => new RunSettings { Image = s.Image, Publish = ["8080:80"] }, []),
        ["shardArgs"] = ("--shard-args-from", s => new RunSettings { Image = s.Image, ShardArgsFrom = ShardArgsFile.Value }, []),
        ["network"] = ("--network", s => new RunSettings { Image = s.Image, Network = "backend" }, []),
        ["user"] = ("--user", s => new RunSettings { Image = s.Image, User = "1000" }, []),
        ["workdir"] = ("--workdir", s => new RunSettings { Image = s.Image, Workdir = "/w" }, []),
        ["pidsLimit"] = ("--pids-limit", s => new RunSettings { Image = s.Image, PidsLimit = 32 }, []),
        ["readOnly"] = ("--read-only", s => new RunSettings { Image = s.Image, ReadOnly = true }, []),
        ["tmpfs"] = ("--tmpfs", s => new RunSettings { Image = s.Image, Tmpfs = ["/tmp"] }, []),
        ["stopTimeout"] = ("--stop-timeout", s => new RunSettings { Image = s.Image, StopTimeout = "30" }, []),
        ["stopSignal"] = ("--stop-signal", s => new RunSettings { Image = s.Image, StopSignal = "SIGINT" }, []),
        ["labels"] = ("--label", s => new RunSettings { Image = s.Image, Labels = ["team=data"] }, []),
    };


    /// <summary>Flags of `sched run` that are about reaching the server or following the job, not the manifest.</summary>
    private static readonly string[] NotManifestFlags = ["--addr", "--token", "--ca", "--jump", "--detach"];

    [Fact]
    public void Every_schema_field_is_set_by_a_run_flag()
    {
        var leaves = ManifestSchema.Fields.Where(f => f.Kind != ManifestFieldKind.Section).Select(f => f.Path).Order(StringComparer.Ordinal);

        Assert.Equal(leaves, ByField.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, (flag, set, command)) in ByField)
        {
            var manifest = RunManifest.FromFlags(set(new RunSettings { Image = "my-processor" }), command);
            Assert.True(Has(manifest, path) || path is "args", $"{flag} does not set {path}: {manifest.ToJsonString()}");
            Assert.True(ManifestParser.FromJson(manifest).IsValid, $"{flag}: {manifest.ToJsonString()}");
        }
    }

    [Fact]
    public void Every_run_flag_sets_a_schema_field_or_is_about_the_server()
    {
        var flags = UnknownFlag.FlagsOf(typeof(RunSettings));
        var mapped = ByField.Values.Select(v => v.Flag).Concat(NotManifestFlags).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(flags, flag => !mapped.Contains(flag));
    }

    private static bool Has(JsonObject manifest, string path)
    {
        JsonNode? node = manifest;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var next) ? next : null;
        }

        return node is not null;
    }

    private static RunSettings Copy(
        RunSettings s, string? name = null, string[]? env = null, int? shards = null,
        string? type = null, string? memory = null, string? cpus = null, string? restart = null, string? backoff = null,
        bool binpack = false, int? maxPerNode = null, string[]? constraints = null) => new()
        {
            Image = s.Image,
            Name = name,
            Env = env ?? [],
            Shards = shards,
            Type = type,
            Memory = memory,
            Cpus = cpus,
            Restart = restart,
            Backoff = backoff,
            Binpack = binpack,
            MaxPerNode = maxPerNode,
            Constraints = constraints ?? [],
        };
}
