using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

public sealed class PodmanSocketTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_flag_wins_over_both_environment_variables() =>
        Assert.Equal("/flag.sock", PodmanSocket.Resolve("/flag.sock", Env(("CONTAINER_HOST", "/c.sock"), ("DOCKER_HOST", "/d.sock"))));

    [Fact]
    public void CONTAINER_HOST_wins_over_DOCKER_HOST() =>
        Assert.Equal("/c.sock", PodmanSocket.Resolve(null, Env(("CONTAINER_HOST", "unix:///c.sock"), ("DOCKER_HOST", "/d.sock"))));

    [Fact]
    public void DOCKER_HOST_is_used_when_nothing_else_is_set() =>
        Assert.Equal("/run/user/0/podman/podman.sock", PodmanSocket.Resolve("", Env(("DOCKER_HOST", "unix:///run/user/0/podman/podman.sock"))));

    [Fact]
    public void Without_flag_or_environment_the_default_socket_is_used() =>
        Assert.Equal("/run/podman/podman.sock", PodmanSocket.Resolve(null, Env()));

    [Theory]
    [InlineData("tcp://10.0.0.1:2375")]
    [InlineData("ssh://core@node2/run/podman/podman.sock")]
    public void Remote_engines_are_rejected_with_a_clear_message(string host)
    {
        var error = Assert.Throws<ArgumentException>(() => PodmanSocket.Resolve(null, Env(("CONTAINER_HOST", host))));

        Assert.Contains("only talks to podman over a local unix socket", error.Message);
        Assert.Contains("CONTAINER_HOST", error.Message);
    }

    [Fact]
    public void A_relative_path_is_rejected() =>
        Assert.Throws<ArgumentException>(() => PodmanSocket.Resolve("podman.sock", Env()));
}
