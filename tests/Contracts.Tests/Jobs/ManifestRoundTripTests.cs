using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Sched.Contracts.Jobs;
using Xunit.Abstractions;

namespace Sched.Contracts.Tests.Jobs;

public class ManifestRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void Written_manifest_uses_manifest_field_names_and_short_forms()
    {
        var spec = Manifests.ValidYaml("""
            image: my-processor:latest
            command: [/bin/process]
            args: [--verbose]
            env: { INPUT: /data/in }
            shards: 7
            type: SERVICE
            resources: { memory: 1536m, cpus: 250m }
            restart: { policy: always, backoff: 90s }
            placement: { strategy: binpack, maxShardsPerNode: 2, constraints: ["arch==arm64"] }
            """);

        var expected = JsonNode.Parse("""
            {
              "name": "my-processor",
              "image": "my-processor:latest",
              "command": ["/bin/process", "--verbose"],
              "env": { "INPUT": "/data/in" },
              "shards": 7,
              "type": "service",
              "resources": { "memory": "1.5Gi", "cpus": 0.25 },
              "restart": { "policy": "always", "attempts": 3, "backoff": "1m30s" },
              "placement": { "strategy": "binpack", "maxShardsPerNode": 2, "constraints": ["arch == arm64"] }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, ManifestWriter.ToJson(spec)), ManifestWriter.ToJson(spec).ToJsonString());
    }

    [Fact]
    public void Fail_on_codes_are_read_in_order_once_each_and_written_back()
    {
        var spec = Manifests.ValidYaml("image: x\nrestart: { failOn: [64, 2, 64] }");

        Assert.Equal(new[] { 2, 64 }, spec.Restart.FailOn);
        Assert.Equal(new[] { 2, 64 }, Manifests.Valid(ManifestParser.FromJson(ManifestWriter.ToJson(spec))).Restart.FailOn);
    }

    [Fact]
    public void Defaults_survive_a_round_trip()
    {
        AssertRoundTrips(Manifests.ValidYaml("image: x"));
    }

    [Fact]
    public void Memory_without_a_short_exact_form_is_written_as_bytes()
    {
        var spec = Manifests.ValidYaml("image: x\nresources: { memory: 1000000007 }");
        Assert.Equal("1000000007", ManifestWriter.ToJson(spec)["resources"]!["memory"]!.GetValue<string>());
        AssertRoundTrips(spec);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Random_valid_specs_survive_a_round_trip(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var i = 0; i < 200; i++)
        {
            AssertRoundTrips(RandomSpec(random));
        }
    }

    private static void AssertRoundTrips(JobSpec spec)
    {
        var written = ManifestWriter.ToJson(spec);
        var readBack = ManifestParser.FromJson(JsonNode.Parse(written.ToJsonString()));
        JobSpecAssert.Equivalent(spec, Manifests.Valid(readBack));
    }

    private static JobSpec RandomSpec(Random random)
    {
        var env = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var i = random.Next(4); i > 0; i--)
        {
            env[$"VAR_{random.Next(100)}"] = random.Next(3) == 0 ? "" : $"value {random.Next()}";
        }

        ImmutableArray<PlacementConstraint> constraints =
        [
            .. Enumerable.Range(0, random.Next(3)).Select(i => new PlacementConstraint(
                i == 0 ? "node" : $"label{i}.example/key",
                random.Next(2) == 0 ? ConstraintOperator.Equal : ConstraintOperator.NotEqual,
                $"v{random.Next(10)}")),
        ];

        return new JobSpec(
            Name: $"job-{random.Next(1000)}",
            Image: $"registry.local/job:{random.Next(10)}",
            Command: [.. Enumerable.Range(0, random.Next(3)).Select(i => $"arg {i}")],
            Env: env.ToImmutable(),
            Shards: random.Next(1, 10_001),
            Type: random.Next(2) == 0 ? JobType.Batch : JobType.Service,
            Resources: new ShardResources(random.NextInt64(6L << 20, 1L << 42), random.Next(1, 64_001)),
            Restart: new RestartPolicy(
                (RestartMode)random.Next(3), random.Next(0, 101), TimeSpan.FromMilliseconds(random.Next(0, 3_600_001))),
            Placement: new PlacementRules(
                random.Next(2) == 0 ? PlacementStrategy.Spread : PlacementStrategy.Binpack,
                random.Next(2) == 0 ? null : random.Next(1, 100),
                constraints));
    }
}
