using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

public sealed class PodmanRuntimeLogsAndListTests(PodmanFixture podman) : IClassFixture<PodmanFixture>, IAsyncLifetime
{
    private static readonly string[] ExpectedLines = ["line 1", "line 2", "line 3", "to stderr"];

    private readonly PodmanRuntime _runtime = podman.Runtime;
    private readonly TestContainers _containers = new(podman.Runtime);

    public Task InitializeAsync() => _containers.InitializeAsync();

    public Task DisposeAsync() => _containers.DisposeAsync();

    [Fact]
    public async Task Following_logs_streams_lines_until_the_container_exits_and_logs_stay_readable_after()
    {
        var script = "for i in 1 2 3; do echo line $i; sleep 0.2; done; echo to stderr >&2";
        var id = await _containers.StartAsync(TestContainers.Spec(["sh", "-c", script]));

        var followed = await _containers.LogsAsync(id, follow: true);
        var afterwards = await _containers.LogsAsync(id, follow: false);

        Assert.Equal(ExpectedLines, followed);
        Assert.Equal(ExpectedLines, afterwards);
    }

    [Fact]
    public async Task ListManaged_returns_containers_labelled_managed_and_no_others()
    {
        var job = $"job-{Guid.NewGuid():N}";
        var managed = await _containers.CreateAsync(TestContainers.Spec(["true"]) with
        {
            Labels = new Dictionary<string, string> { ["sched.managed"] = "true", ["sched.job"] = job },
        });
        var unmanaged = await _containers.CreateAsync(TestContainers.Spec(["true"]) with
        {
            Labels = new Dictionary<string, string> { ["sched.job"] = job },
        });

        var listed = await _runtime.ListManagedAsync(CancellationToken.None);

        var found = Assert.Single(listed, c => c.Id == managed);
        Assert.Equal(job, found.Labels["sched.job"]);
        Assert.Equal("created", found.State);
        Assert.DoesNotContain(listed, c => c.Id == unmanaged);
    }
}
