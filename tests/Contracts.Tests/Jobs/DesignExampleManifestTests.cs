using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>The manifest shown in DESIGN.md §3, in both formats.</summary>
public class DesignExampleManifestTests
{
    private const string Yaml = """
        name: my-processor
        image: my-processor:latest
        command: ["/bin/process", "--verbose"]     # optional
        env: { INPUT: /data/in }
        shards: 7
        type: batch                                # batch | service
        resources: { memory: 256Mi, cpus: 0.5 }   # memory accepts 256m, 256Mi, 1g, 1Gi
        restart: { policy: on-failure, attempts: 3, backoff: 2s }   # on-failure | always | never
        placement:
          strategy: spread                         # spread (default) | binpack
          maxShardsPerNode: 2                      # optional
          constraints: ["node != node1", "arch == arm64"]   # node name and node labels
        """;

    private const string Json = """
        {
          "name": "my-processor",
          "image": "my-processor:latest",
          "command": ["/bin/process", "--verbose"],
          "env": { "INPUT": "/data/in" },
          "shards": 7,
          "type": "batch",
          "resources": { "memory": "256Mi", "cpus": 0.5 },
          "restart": { "policy": "on-failure", "attempts": 3, "backoff": "2s" },
          "placement": {
            "strategy": "spread",
            "maxShardsPerNode": 2,
            "constraints": ["node != node1", "arch == arm64"]
          }
        }
        """;

    private static readonly JobSpec Expected = new(
        Name: "my-processor",
        Image: "my-processor:latest",
        Command: ["/bin/process", "--verbose"],
        Env: ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("INPUT", "/data/in")]),
        Shards: 7,
        Type: JobType.Batch,
        Resources: new ShardResources(MemoryBytes: 268_435_456, MilliCpus: 500),
        Restart: new RestartPolicy(RestartMode.OnFailure, Attempts: 3, Backoff: TimeSpan.FromSeconds(2)),
        Placement: new PlacementRules(
            PlacementStrategy.Spread,
            MaxShardsPerNode: 2,
            [
                new PlacementConstraint("node", ConstraintOperator.NotEqual, "node1"),
                new PlacementConstraint("arch", ConstraintOperator.Equal, "arm64"),
            ]));

    [Fact]
    public void Yaml_example_parses_to_the_expected_spec()
    {
        JobSpecAssert.Equivalent(Expected, Manifests.ValidYaml(Yaml));
    }

    [Fact]
    public void Json_example_parses_to_the_expected_spec()
    {
        JobSpecAssert.Equivalent(Expected, Manifests.Valid(ManifestParser.Parse(Json, ManifestFormat.Json)));
    }

    [Fact]
    public void Yaml_and_json_forms_give_equal_specs()
    {
        var fromYaml = Manifests.ValidYaml(Yaml);
        var fromJson = Manifests.Valid(ManifestParser.Parse(Json, ManifestFormat.Json));
        JobSpecAssert.Equivalent(fromJson, fromYaml);
    }

    [Fact]
    public void Parsed_env_is_ordinally_sorted()
    {
        var spec = Manifests.ValidYaml("image: x\nenv: { b: 1, B: 2, a: 3, _z: 4 }");
        Assert.Equal(["B", "_z", "a", "b"], spec.Env.Keys);
        Assert.Same(StringComparer.Ordinal, spec.Env.KeyComparer);
    }
}
