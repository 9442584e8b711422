using Docker.DotNet;
using Sched.Contracts;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>Two clusters (or a dev agent beside a cluster node) on one podman: each sees and touches only its own.</summary>
public sealed class PodmanRuntimeClusterScopeTests(PodmanFixture podman) : IClassFixture<PodmanFixture>, IAsyncLifetime, IDisposable
{
    private readonly PodmanRuntime _other = new(podman.SocketPath, "sched-test-other");
    private readonly TestContainers _ours = new(podman.Runtime);
    private readonly List<string> _theirs = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ours.DisposeAsync();
        foreach (var id in _theirs)
        {
            await _other.RemoveAsync(id, CancellationToken.None);
        }
    }

    public void Dispose() => _other.Dispose();

    [Fact]
    public async Task A_runtime_lists_and_inspects_as_managed_only_the_containers_of_its_own_cluster()
    {
        var ours = await _ours.CreateAsync(Managed("ours"));
        var theirs = await _other.CreateAsync(Managed("theirs"), CancellationToken.None);
        _theirs.Add(theirs);

        var listedByUs = (await podman.Runtime.ListManagedAsync(CancellationToken.None)).Select(c => c.Id).ToList();
        var listedByThem = (await _other.ListManagedAsync(CancellationToken.None)).Select(c => c.Id).ToList();

        Assert.Contains(ours, listedByUs);
        Assert.DoesNotContain(theirs, listedByUs);
        Assert.Contains(theirs, listedByThem);
        Assert.DoesNotContain(ours, listedByThem);
        Assert.Null(await podman.Runtime.InspectManagedAsync(theirs, CancellationToken.None));
        Assert.NotNull(await podman.Runtime.InspectManagedAsync(ours, CancellationToken.None));
        Assert.Equal(PodmanFixture.ClusterId, (await podman.Runtime.InspectAsync(ours, CancellationToken.None))!.Labels[ContainerLabels.Cluster]);
    }

    [Fact]
    public async Task Every_container_is_created_without_new_privileges_with_a_pids_limit_and_unprivileged()
    {
        var id = await _ours.CreateAsync(Managed("defaults"));

        using var configuration = new DockerClientConfiguration(new Uri("unix://" + podman.SocketPath));
        using var docker = configuration.CreateClient();
        var inspected = await docker.Containers.InspectContainerAsync(id);

        Assert.Contains(inspected.HostConfig.SecurityOpt ?? [], o => o.StartsWith("no-new-privileges", StringComparison.Ordinal));
        Assert.Equal(ContainerCreateParameters.DefaultPidsLimit, inspected.HostConfig.PidsLimit);
        Assert.False(inspected.HostConfig.Privileged);
    }

    private static ContainerSpec Managed(string tag) => TestContainers.Spec(["true"]) with
    {
        Name = $"sched-test-{tag}-{Guid.NewGuid():N}",
        Labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true", [ContainerLabels.Job] = "scope-test" },
    };
}
