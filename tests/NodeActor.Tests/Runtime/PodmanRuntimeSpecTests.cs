using System.Globalization;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>What a container spec asks for really arrives inside the container.</summary>
public sealed class PodmanRuntimeSpecTests(PodmanFixture podman) : IClassFixture<PodmanFixture>, IAsyncLifetime
{
    private const long Mi = 1024 * 1024;

    // cgroup v2 has memory.max and cpu.max ("QUOTA PERIOD"); v1 (also hybrid) has per-controller folders.
    private const string PrintLimits = """
        if [ -f /sys/fs/cgroup/memory.max ]; then
          echo "memory=$(cat /sys/fs/cgroup/memory.max)"
          set -- $(cat /sys/fs/cgroup/cpu.max)
          echo "quota=$1"; echo "period=$2"
        else
          echo "memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
          echo "quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"
          echo "period=$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"
        fi
        """;

    private readonly PodmanRuntime _runtime = podman.Runtime;
    private readonly TestContainers _containers = new(podman.Runtime);

    public Task InitializeAsync() => _containers.InitializeAsync();

    public Task DisposeAsync() => _containers.DisposeAsync();

    [Fact]
    public async Task Env_reaches_the_process_and_labels_reach_the_container()
    {
        var spec = TestContainers.Spec(["env"]) with
        {
            Env = new Dictionary<string, string> { ["SHARD"] = "3", ["GREETING"] = "hello world" },
            Labels = new Dictionary<string, string> { ["sched.job"] = "job-7", ["sched.shard"] = "3" },
        };

        var (id, exit) = await _containers.RunAsync(spec);
        var lines = await _containers.LogsAsync(id);
        var details = await _runtime.InspectAsync(id, CancellationToken.None);

        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("SHARD=3", lines);
        Assert.Contains("GREETING=hello world", lines);
        Assert.NotNull(details);
        Assert.Equal("job-7", details.Labels["sched.job"]);
        Assert.Equal("3", details.Labels["sched.shard"]);
        Assert.Equal(spec.Name, details.Name);
        Assert.Equal(0, details.ExitCode);
    }

    [Fact]
    public async Task Memory_and_cpu_limits_are_applied_inside_the_container()
    {
        var spec = TestContainers.Spec(["sh", "-c", PrintLimits]) with { MemoryBytes = 64 * Mi, NanoCpus = 250_000_000 };

        var (id, exit) = await _containers.RunAsync(spec);
        var values = (await _containers.LogsAsync(id))
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(64 * Mi, long.Parse(values["memory"], CultureInfo.InvariantCulture));
        var quota = double.Parse(values["quota"], CultureInfo.InvariantCulture);
        var period = double.Parse(values["period"], CultureInfo.InvariantCulture);
        Assert.Equal(0.25, quota / period, precision: 3);

        var details = await _runtime.InspectAsync(id, CancellationToken.None);
        Assert.Equal(64 * Mi, details?.MemoryBytes);
        Assert.Equal(250_000_000, details?.NanoCpus);
    }

    [Fact]
    public async Task A_container_that_outgrows_its_memory_limit_is_killed_with_137()
    {
        var spec = TestContainers.Spec(["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]) with { MemoryBytes = 16 * Mi };

        var (_, exit) = await _containers.RunAsync(spec);

        // cgroup v1 with podman 4 reports OOMKilled=false; the exit code is what every engine agrees on.
        Assert.Equal(137, exit.ExitCode);
    }
}
