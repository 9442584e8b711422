using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

public sealed class PodmanRuntimeUnreachableTests
{
    [Fact]
    public async Task A_missing_socket_is_reported_with_how_to_start_podman()
    {
        var socket = $"/tmp/sched-no-such-{Guid.NewGuid():N}.sock";
        using var runtime = new PodmanRuntime(socket, "sched-test");

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.GetInfoAsync(CancellationToken.None));

        Assert.Equal(ContainerRuntimeFailure.EngineUnreachable, error.Failure);
        Assert.Contains($"podman API socket {socket} is not answering", error.Message);
        Assert.Contains("systemctl start podman.socket", error.Message);
    }
}
