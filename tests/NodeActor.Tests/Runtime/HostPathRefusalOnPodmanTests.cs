using System.Collections.Immutable;
using Akka.Actor;
using Sched.Contracts;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.NodeActor.Runtime;
using Serilog;
using Xunit.Abstractions;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>
/// Issue 17 acceptance 2, against the real podman: a RunShard made by hand, past the API's check, that mounts /etc
/// is refused by the agent and leaves no container; the same run with a mount under the allowed root does start,
/// so the refusal is the agent's, not podman's. The agent has a cluster id of its own, so it touches no other
/// test's containers.
/// </summary>
public sealed class HostPathRefusalOnPodmanTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private readonly string _root = Directory.CreateTempSubdirectory("sched-hostpaths-").FullName;
    private readonly PodmanRuntime _podman = new(
        Environment.GetEnvironmentVariable("SCHED_TEST_PODMAN_SOCKET") is { Length: > 0 } socket ? socket : PodmanSocket.DefaultPath,
        $"sched-refusal-{Guid.NewGuid():N}"[..24]);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var container in await _podman.ListManagedAsync(CancellationToken.None))
        {
            await _podman.RemoveAsync(container.Id, CancellationToken.None);
        }

        _podman.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_hand_made_run_mounting_etc_is_refused_and_creates_no_container_while_an_allowed_mount_runs()
    {
        var scheduler = CreateTestProbe();
        var options = AgentOptions.For("node1") with { AllowedHostPaths = [_root] };
        var agent = Sys.ActorOf(NodeAgent.Props(_podman, scheduler, options, Silent, LocalCommandSenders.Instance));
        var allowed = new ShardAttemptId("refusal-000001", 1, 1);
        var forbidden = new ShardAttemptId("refusal-000001", 2, 1);

        agent.Tell(Run(allowed, new VolumeMount(Path.Combine(_root, "in"), "/in", true)));
        agent.Tell(Run(forbidden, new VolumeMount("/etc", "/x", false)));

        var refused = (ShardStartFailed)await scheduler.FishForMessageAsync(m => m is ShardStartFailed f && f.Id == forbidden, TimeSpan.FromSeconds(30));
        await scheduler.FishForMessageAsync(m => m is ShardExited e && e.Id == allowed, TimeSpan.FromSeconds(60));
        Assert.Contains("/etc", refused.Reason, StringComparison.Ordinal);
        Assert.Contains(_root, refused.Reason, StringComparison.Ordinal);
        var shards = (await _podman.ListManagedAsync(CancellationToken.None)).Select(c => c.Labels[ContainerLabels.Shard]).ToList();
        Assert.Equal(["1"], shards);
    }

    private static RunShard Run(ShardAttemptId id, VolumeMount mount) => new(
        id, "sched-test-busybox:latest", ["true"], ImmutableSortedDictionary<string, string>.Empty,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Job] = id.JobId,
            [ContainerLabels.Shard] = $"{id.Shard}",
            [ContainerLabels.Attempt] = $"{id.Attempt}",
        }), 64L * 1024 * 1024, 250)
    {
        Container = ContainerOptions.None with { Volumes = [mount] },
    };
}
