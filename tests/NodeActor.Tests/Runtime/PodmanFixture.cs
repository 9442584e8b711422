using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>
/// One runtime over the real podman socket for a test class. These are integration tests: they fail, with the fix
/// in the message, when the socket or the test image is missing.
/// </summary>
public sealed class PodmanFixture : IAsyncLifetime, IDisposable
{
    public const string TestImage = "sched-test-busybox:latest";

    public PodmanFixture()
    {
        var configured = Environment.GetEnvironmentVariable("SCHED_TEST_PODMAN_SOCKET");
        SocketPath = string.IsNullOrWhiteSpace(configured) ? PodmanSocket.DefaultPath : configured;
        Runtime = new PodmanRuntime(SocketPath, ClusterId);
    }

    public const string ClusterId = "sched-test";

    public string SocketPath { get; }

    public PodmanRuntime Runtime { get; }

    public async Task InitializeAsync()
    {
        try
        {
            await Runtime.GetInfoAsync(CancellationToken.None);
        }
        catch (ContainerRuntimeException e)
        {
            throw new InvalidOperationException(
                $"These tests need a podman API socket at {SocketPath} (or set SCHED_TEST_PODMAN_SOCKET): " +
                $"run deploy/lib/install-podman.sh and deploy/lib/start-podman-socket.sh. {e.Message}", e);
        }

        var probe = TestContainers.Spec(["true"]) with { Image = TestImage };
        try
        {
            var id = await Runtime.CreateAsync(probe, CancellationToken.None);
            await Runtime.RemoveAsync(id, CancellationToken.None);
        }
        catch (ContainerRuntimeException e) when (e.Failure == ContainerRuntimeFailure.ImageUnavailable)
        {
            throw new InvalidOperationException(
                $"The test image {TestImage} is missing on {SocketPath}: run deploy/images/build.sh first (with the " +
                $"--root/--runroot of that podman service if it has its own store). {e.Message}", e);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Runtime.Dispose();
}
