using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

public class HostPathsTests
{
    [Theory]
    [InlineData("/data")]
    [InlineData("/data/in/part-${SHARD}")]
    [InlineData("/srv/shared/x")]
    public void A_path_under_an_allowed_root_is_allowed(string path) =>
        Assert.Null(HostPaths.Refusal(path, ["/data", "/srv/shared"]));

    [Theory]
    [InlineData("/etc")]
    [InlineData("/data2/x")]
    [InlineData("/data/../etc")]
    [InlineData("/data/./x")]
    public void A_path_outside_the_roots_or_climbing_out_is_refused_naming_the_roots(string path)
    {
        var refusal = HostPaths.Refusal(path, ["/data"]);

        Assert.NotNull(refusal);
        Assert.Contains(path, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_roots_no_host_path_is_allowed_and_the_message_says_how_to_allow_one() =>
        Assert.Contains("--allow-host-path", HostPaths.Refusal("/data", [])!, StringComparison.Ordinal);

    [Fact]
    public void The_check_of_a_spec_names_each_volume_outside_the_roots()
    {
        var spec = Manifests.ValidYaml("image: x\nvolumes: [\"/data/in:/in\", \"cache:/c\", \"/etc:/x\"]");

        var error = Assert.Single(HostPaths.Check(spec, ["/data"]));

        Assert.Equal("volumes[2]", error.Field);
        Assert.Contains("/data", error.Message, StringComparison.Ordinal);
    }
}
