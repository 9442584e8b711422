using Sched.Contracts.Images;

namespace Sched.Contracts.Tests.Images;

public sealed class ImageNamesTests
{
    private const string Id = "sha256:240d9d0559838916bd2e333800a0ae9c051dce47d6e43c0cc70e31051a5f213a";

    [Theory]
    [InlineData("my-processor")]
    [InlineData("my-processor:latest")]
    [InlineData("localhost/my-processor")]
    [InlineData("localhost/my-processor:latest")]
    [InlineData("sha256:240d9d055983")]
    [InlineData("240d9d0559838916")]
    public void A_short_name_a_full_name_or_an_id_prefix_finds_a_locally_built_image(string reference) =>
        Assert.True(ImageNames.Matches(reference, Id, ["localhost/my-processor:latest"]));

    [Theory]
    [InlineData("my-processor:1.4")]
    [InlineData("other/my-processor")]
    [InlineData("registry.local/my-processor")]
    [InlineData("sha256:340d9d055983")]
    [InlineData("my-process")]
    public void Another_tag_repository_registry_or_id_does_not(string reference) =>
        Assert.False(ImageNames.Matches(reference, Id, ["localhost/my-processor:latest"]));

    [Fact]
    public void A_short_name_without_a_path_is_looked_for_in_docker_library_as_podman_does() =>
        Assert.True(ImageNames.Matches("busybox", Id, ["docker.io/library/busybox:latest"]));

    [Fact]
    public void A_registry_with_a_port_is_a_registry_not_a_repository() =>
        Assert.Equal(["127.0.0.1:5000/tools/app:2"], ImageNames.Candidates("127.0.0.1:5000/tools/app:2"));
}
