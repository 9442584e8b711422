using System.Diagnostics;
using Sched.NodeActor.Runtime;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Runtime;

public sealed class PodmanRuntimeLifecycleTests(PodmanFixture podman, ITestOutputHelper output)
    : IClassFixture<PodmanFixture>, IAsyncLifetime
{
    private readonly PodmanRuntime _runtime = podman.Runtime;
    private readonly TestContainers _containers = new(podman.Runtime);

    public Task InitializeAsync() => _containers.InitializeAsync();

    public Task DisposeAsync() => _containers.DisposeAsync();

    [Fact]
    public async Task Info_reports_cores_memory_and_a_normalised_architecture()
    {
        var info = await _runtime.GetInfoAsync(CancellationToken.None);

        Assert.True(info.Cores >= 1, $"cores {info.Cores}");
        Assert.True(info.MemoryBytes > 0, $"memory {info.MemoryBytes}");
        Assert.Contains(info.Architecture, new[] { "amd64", "arm64" });
        Assert.False(string.IsNullOrWhiteSpace(info.EngineVersion));
        Assert.Null(info.LimitsUnenforceable);
    }

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 3", 3)]
    public async Task Wait_returns_the_exit_code(string script, long expected)
    {
        var (_, exit) = await _containers.RunAsync(TestContainers.Spec(["sh", "-c", script]));

        Assert.Equal(expected, exit.ExitCode);
        Assert.False(exit.OomKilled);
    }

    [Theory]
    [InlineData("no-such-command", "command \"no-such-command\" not found")]
    [InlineData("/bin/no-such-command", "command \"/bin/no-such-command\" not found")]
    [InlineData("/etc/passwd", "command \"/etc/passwd\" is not executable")]
    public async Task A_command_the_image_cannot_run_fails_to_start_in_a_few_words_that_say_no_attempt_can_do_better(string command, string words)
    {
        var id = await _containers.CreateAsync(TestContainers.Spec([command]));

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.StartAsync(id, CancellationToken.None));

        output.WriteLine(error.InnerException?.Message);
        Assert.Equal(ContainerRuntimeFailure.CommandNotRunnable, error.Failure);
        Assert.Equal(words, error.Message);
    }

    [Fact]
    public async Task Stop_of_a_sleeping_container_returns_within_its_grace_period()
    {
        var id = await _containers.StartAsync(TestContainers.Spec(["sleep", "60"]));

        var clock = Stopwatch.StartNew();
        await _runtime.StopAsync(id, TimeSpan.FromSeconds(1), CancellationToken.None);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop took {clock.Elapsed}");
        Assert.False((await _runtime.InspectAsync(id, CancellationToken.None))?.Running);
        await _runtime.StopAsync(id, TimeSpan.FromSeconds(1), CancellationToken.None);
    }

    [Fact]
    public async Task Missing_containers_are_no_error_to_stop_or_remove_and_inspect_as_null()
    {
        var name = $"sched-test-missing-{Guid.NewGuid():N}";

        await _runtime.RemoveAsync(name, CancellationToken.None);
        await _runtime.StopAsync(name, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Null(await _runtime.InspectAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task Wait_on_a_container_that_was_never_started_throws_instead_of_reporting_success()
    {
        var id = await _containers.CreateAsync(TestContainers.Spec(["true"]));

        await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.WaitAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_image_that_cannot_be_pulled_is_named_in_the_error()
    {
        var image = $"localhost:1/sched-missing-{Guid.NewGuid():N}:latest";

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(
            () => _containers.CreateAsync(TestContainers.Spec(["true"]) with { Image = image }));
        output.WriteLine(error.Message);

        Assert.Equal(ContainerRuntimeFailure.ImageUnavailable, error.Failure);
        Assert.Contains($"image {image} is not present on this node and could not be pulled", error.Message);
    }
}
