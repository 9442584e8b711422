using System.Text.Json;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>The host part of `podman info` as podman 4.3 and 5.4 write it, rootful and rootless.</summary>
public sealed class LimitSupportTests
{
    [Theory]
    [InlineData("""{"cgroupVersion":"v1","cgroupControllers":[],"security":{"rootless":false}}""")]
    [InlineData("""{"cgroupVersion":"v2","cgroupControllers":["cpu","memory","pids"],"security":{"rootless":false}}""")]
    [InlineData("""{"cgroupVersion":"v2","cgroupControllers":["cpuset","cpu","io","memory","pids"],"security":{"rootless":true}}""")]
    public void Rootful_podman_and_rootless_podman_with_delegated_controllers_enforce_limits(string host) =>
        Assert.Null(LimitSupport.Judge(JsonDocument.Parse(host).RootElement));

    [Fact]
    public void Rootless_podman_on_cgroup_v1_cannot_and_the_reason_says_what_to_do()
    {
        var reason = LimitSupport.Judge(JsonDocument.Parse("""{"cgroupVersion":"v1","cgroupControllers":[],"security":{"rootless":true}}""").RootElement);

        Assert.Equal("rootless podman on cgroup v1 cannot enforce memory or CPU limits; run the agent against rootful podman, "
            + "or boot with cgroup v2 (systemd.unified_cgroup_hierarchy=1)", reason);
    }

    [Fact]
    public void Rootless_podman_on_cgroup_v2_without_the_memory_controller_names_it()
    {
        var reason = LimitSupport.Judge(JsonDocument.Parse("""{"cgroupVersion":"v2","cgroupControllers":["cpu","pids"],"security":{"rootless":true}}""").RootElement);

        Assert.StartsWith("rootless podman has no memory cgroup controller delegated", reason, StringComparison.Ordinal);
    }
}
