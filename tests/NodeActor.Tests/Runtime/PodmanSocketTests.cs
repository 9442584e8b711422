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

    [Fact]
    public void Another_user_than_root_gets_its_rootless_podman_socket_in_its_runtime_dir() =>
        Assert.Equal("/run/user/1000/podman/podman.sock", PodmanSocket.Resolve(null, Env(("XDG_RUNTIME_DIR", "/run/user/1000/")), userId: 1000));

    [Fact]
    public void A_system_service_run_as_a_user_without_a_runtime_dir_variable_gets_the_users_runtime_dir() =>
        Assert.Equal("/run/user/1000/podman/podman.sock", PodmanSocket.Resolve(null, Env(), userId: 1000));

    [Fact]
    public void The_current_user_id_is_the_one_id_prints()
    {
        using var id = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("id", "-u") { RedirectStandardOutput = true })!;
        var printed = id.StandardOutput.ReadToEnd().Trim();
        id.WaitForExit();

        Assert.Equal(printed, PodmanSocket.CurrentUserId().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

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
