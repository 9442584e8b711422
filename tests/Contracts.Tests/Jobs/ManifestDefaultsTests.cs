using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

public class ManifestDefaultsTests
{
    [Fact]
    public void Image_alone_gets_every_default()
    {
        var spec = Manifests.ValidYaml("image: registry.local/team/my-processor:1.2");

        Assert.Equal("my-processor", spec.Name);
        Assert.Empty(spec.Command);
        Assert.Empty(spec.Env);
        Assert.Equal(1, spec.Shards);
        Assert.Equal(JobType.Batch, spec.Type);
        Assert.Equal(new ShardResources(256L * 1024 * 1024, 500), spec.Resources);
        Assert.Equal(new RestartPolicy(RestartMode.OnFailure, 3, TimeSpan.FromSeconds(2)), spec.Restart);
        Assert.Equal(PlacementStrategy.Spread, spec.Placement.Strategy);
        Assert.Null(spec.Placement.MaxShardsPerNode);
        Assert.Empty(spec.Placement.Constraints);
    }

    [Theory]
    [InlineData("my-processor", "my-processor")]
    [InlineData("my-processor:latest", "my-processor")]
    [InlineData("registry.local/team/my-processor:1.2", "my-processor")]
    [InlineData("localhost:5000/worker", "worker")]
    [InlineData("docker.io/library/alpine@sha256:0123abcd", "alpine")]
    [InlineData("quay.io/org/tool:v1@sha256:0123abcd", "tool")]
    [InlineData("registry.local/My_Processor.v2:1", "my-processor-v2")]
    public void Name_defaults_to_the_image_repository_without_tag_or_digest(string image, string expectedName)
    {
        Assert.Equal(expectedName, Manifests.ValidYaml($"image: {image}").Name);
    }

    [Fact]
    public void Empty_sections_and_null_values_mean_defaults()
    {
        var spec = Manifests.ValidYaml("""
            image: x
            command:
            env: ~
            shards: null
            resources: {}
            restart:
            placement: { constraints: [] }
            """);

        Assert.Empty(spec.Command);
        Assert.Equal(1, spec.Shards);
        Assert.Equal(500, spec.Resources.MilliCpus);
        Assert.Equal(3, spec.Restart.Attempts);
    }

    [Fact]
    public void Command_and_args_join_into_one_command()
    {
        var spec = Manifests.ValidYaml("image: x\ncommand: [/bin/process]\nargs: [--verbose, 7]");
        Assert.Equal<string>(["/bin/process", "--verbose", "7"], spec.Command);
    }

    [Fact]
    public void Args_alone_follow_the_image_entrypoint()
    {
        Assert.Equal<string>(["--verbose"], Manifests.ValidYaml("image: x\nargs: [--verbose]").Command);
    }

    [Fact]
    public void Enum_values_are_read_ignoring_case()
    {
        var spec = Manifests.ValidYaml("""
            image: x
            type: Service
            restart: { policy: ON-FAILURE }
            placement: { strategy: BinPack }
            """);

        Assert.Equal(JobType.Service, spec.Type);
        Assert.Equal(RestartMode.OnFailure, spec.Restart.Mode);
        Assert.Equal(PlacementStrategy.Binpack, spec.Placement.Strategy);
    }

    [Theory]
    [InlineData("cpus: 0.25", 250)]
    [InlineData("cpus: \"0.25\"", 250)]
    [InlineData("cpus: 250m", 250)]
    [InlineData("cpus: 2", 2000)]
    public void Cpus_accept_numbers_strings_and_millicores(string line, int expectedMilliCpus)
    {
        Assert.Equal(expectedMilliCpus, Manifests.ValidYaml($"image: x\nresources: {{ {line} }}").Resources.MilliCpus);
    }

    [Fact]
    public void Json_numbers_and_booleans_in_env_become_their_text()
    {
        var result = ManifestParser.Parse("""{ "image": "x", "env": { "N": 7, "F": 0.5, "B": true } }""", ManifestFormat.Json);
        var env = Manifests.Valid(result).Env;
        Assert.Equal(("7", "0.5", "true"), (env["N"], env["F"], env["B"]));
    }
}
