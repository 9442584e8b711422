using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>The run options of a manifest: mounts, ports, per-shard arguments and the rest of `podman run`.</summary>
public class ContainerOptionsManifestTests
{
    [Fact]
    public void Mounts_ports_and_run_options_are_read_as_podman_writes_them()
    {
        var spec = Manifests.ValidYaml("""
            image: my-app
            volumes: ["/data/in:/in:ro", "/data/out/${SHARD}:/out", "cache-${SHARD_INDEX}:/cache"]
            ports: ["8080:80", "9000", "5353:53/udp"]
            network: backend
            user: "1000:1000"
            workdir: /w
            pidsLimit: 32
            readOnly: true
            tmpfs: [/tmp, "/run:size=64m"]
            stopTimeout: 30s
            stopSignal: int
            labels: { team: data }
            """);

        var options = spec.ContainerOrNone;
        Assert.Equal([new VolumeMount("/data/in", "/in", true), new VolumeMount("/data/out/${SHARD}", "/out", false), new VolumeMount("cache-${SHARD_INDEX}", "/cache", false)], options.Volumes.ToArray());
        Assert.Equal([new PortMapping(8080, 80), new PortMapping(null, 9000), new PortMapping(5353, 53, "udp")], options.Ports.ToArray());
        Assert.Equal(("backend", "1000:1000", "/w", 32L, true), (options.Network, options.User, options.Workdir, options.PidsLimit, options.ReadOnly));
        Assert.Equal(["/tmp", "/run:size=64m"], options.Tmpfs.ToArray());
        Assert.Equal((TimeSpan.FromSeconds(30), "SIGINT"), (options.StopTimeout, options.StopSignal));
        Assert.Equal("data", options.Labels["team"]);
        Assert.Equal(["8080/tcp", "5353/udp"], options.FixedHostPortKeys);
    }

    [Fact]
    public void The_number_of_shards_follows_the_shard_args()
    {
        var spec = Manifests.ValidYaml("image: x\nshardArgs: [\"--part a\", \"--part b\", \"--part c\"]");

        Assert.Equal(3, spec.Shards);
    }

    [Fact]
    public void Shards_that_disagree_with_the_shard_args_are_refused()
    {
        var error = Manifests.SingleError("image: x\nshards: 4\nshardArgs: [a, b]");

        Assert.Equal("shardArgs", error.Field);
        Assert.Contains("2 lines but shards is 4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("volumes: [\"/data\"]", "volumes[0]", "SOURCE:TARGET")]
    [InlineData("volumes: [\"/data/../etc:/x\"]", "volumes[0]", "'..'")]
    [InlineData("volumes: [\"/data/in:in\"]", "volumes[0]", "must be absolute")]
    [InlineData("volumes: [\"/data/in:/in:z\"]", "volumes[0]", "the options are ro and rw")]
    [InlineData("volumes: [\"/data/${USER}:/in\"]", "volumes[0]", "${SHARD}")]
    [InlineData("ports: [\"80:80:80\"]", "ports[0]", "HOST:CONTAINER")]
    [InlineData("ports: [\"70000\"]", "ports[0]", "1..65535")]
    [InlineData("ports: [\"8080:80\", \"8080:81\"]", "ports[1]", "published twice")]
    [InlineData("network: host", "network", "host namespace")]
    [InlineData("user: \"root user\"", "user", "USER or USER:GROUP")]
    [InlineData("workdir: w", "workdir", "absolute path")]
    [InlineData("pidsLimit: 0", "pidsLimit", "1 to 32768")]
    [InlineData("readOnly: yes-please", "readOnly", "true or false")]
    [InlineData("stopTimeout: 1h", "stopTimeout", "up to 10m")]
    [InlineData("stopSignal: \"SIG TERM\"", "stopSignal", "not a signal")]
    [InlineData("labels: { sched.job: mine }", "labels.sched.job", "sched's own")]
    [InlineData("tmpfs: [tmp]", "tmpfs[0]", "must be absolute")]
    public void A_bad_value_is_refused_naming_the_field_and_the_accepted_form(string yaml, string field, string hint)
    {
        var error = Manifests.SingleError($"image: x\n{yaml}");

        Assert.Equal(field, error.Field);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelled_option_is_refused_with_the_nearest_name()
    {
        var error = Manifests.SingleError("image: x\nvolume: [\"/data:/data\"]");

        Assert.Equal("volume", error.Field);
        Assert.Contains("did you mean 'volumes'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_survive_a_round_trip_through_the_writer()
    {
        var spec = Manifests.ValidYaml("""
            image: my-app
            volumes: ["/data/in:/in:ro", "cache:/cache"]
            ports: ["8080:80", "9000/udp"]
            shardArgs: [a, b]
            user: "1000"
            readOnly: true
            stopTimeout: 90s
            labels: { team: data }
            """);

        var readBack = Manifests.Valid(ManifestParser.FromJson(System.Text.Json.Nodes.JsonNode.Parse(ManifestWriter.ToJson(spec).ToJsonString())));

        Assert.Equal(ManifestWriter.ToJson(spec).ToJsonString(), ManifestWriter.ToJson(readBack).ToJsonString());
        Assert.Equal(spec.ContainerOrNone.Ports.ToArray(), readBack.ContainerOrNone.Ports.ToArray());
        Assert.Equal(2, readBack.Shards);
    }
}
