using System.Text.RegularExpressions;

namespace Sched.EndToEnd;

/// <summary>
/// The walking skeleton as a person uses it: a real `sched agent --dev` process on the real podman socket,
/// driven by the real `sched` CLI; what ran is read back from podman itself.
/// </summary>
[Collection(DevAgentCollection.Name)]
public sealed partial class DevModeSpecs(DevAgent agent)
{
    [Fact]
    public async Task Run_with_seven_shards_succeeds_and_every_container_got_its_shard_environment_labels_and_limits()
    {
        var run = await agent.Sched("run", "my-processor", "--shards", "7", "--memory", "64Mi", "--cpus", "0.25");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("7/7 shards succeeded", run.Stdout, StringComparison.Ordinal);
        var jobId = JobIdOf(run);
        var containers = await PodmanStore.Machine.ContainersOfJob(jobId);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"{i}"), containers.Select(c => c.Env["SHARD"]).OrderBy(int.Parse));
        foreach (var c in containers)
        {
            var shard = int.Parse(c.Env["SHARD"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(($"{shard - 1}", "7", jobId, agent.NodeName), (c.Env["SHARD_INDEX"], c.Env["SHARD_COUNT"], c.Env["SCHED_JOB"], c.Env["SCHED_NODE"]));
            Assert.Equal(("true", jobId, $"{shard}", "1"), (c.Labels["sched.managed"], c.Labels["sched.job"], c.Labels["sched.shard"], c.Labels["sched.attempt"]));
            Assert.Equal($"sched-{jobId}-{shard}-1", c.Name);
            Assert.Equal((64L * 1024 * 1024, 250_000_000L), (c.Memory, c.NanoCpus));
            Assert.Contains($"shard {shard}/7 on {agent.NodeName}: summed", await PodmanStore.Machine.Logs(c.Name), StringComparison.Ordinal);
        }

        var status = await agent.Sched("status", jobId);
        Assert.Equal(7, status.Stdout.Split('\n').Count(l => Regex.IsMatch(l, $@"^\d+\s+{agent.NodeName}\s+succeeded\s+1\s+0\s+-$")));
        Assert.Equal(7, agent.IncarnationLog.Split('\n').Count(l => l.Contains($"placed {jobId} shard", StringComparison.Ordinal)
            && l.Contains($"on {agent.NodeName} (memory 64Mi, cpus 0.25", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Limits_are_really_applied_inside_the_container()
    {
        const string script = """
            if [ -f /sys/fs/cgroup/memory.max ]; then echo "memory $(cat /sys/fs/cgroup/memory.max)"; echo "cpu $(cat /sys/fs/cgroup/cpu.max)";
            else echo "memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"; echo "cpu $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"; fi
            """;
        var run = await agent.Sched("run", "sched-test-busybox", "--memory", "64Mi", "--cpus", "0.25", "--", "sh", "-c", script);

        Assert.True(run.ExitCode == 0, run.ToString());
        var logs = await PodmanStore.Machine.Logs($"sched-{JobIdOf(run)}-1-1");
        Assert.Contains("memory 67108864", logs, StringComparison.Ordinal);
        var cpu = CpuLine().Match(logs);
        Assert.True(cpu.Success, logs);
        Assert.Equal(0.25, double.Parse(cpu.Groups[1].Value) / double.Parse(cpu.Groups[2].Value));
    }

    [Fact]
    public async Task A_shard_exiting_3_makes_run_exit_nonzero_naming_the_shard_and_the_exit_code()
    {
        var run = await agent.Sched("run", "my-processor", "--shards", "3", "--restart", "never", "--memory", "16Mi", "--cpus", "0.1",
            "--", "sh", "-c", "if [ \"$SHARD\" = 2 ]; then echo failing; exit 3; fi; /bin/process");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("shard 2 failed on", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("exit code 3", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("placed on", run.Stdout, StringComparison.Ordinal);
        var status = await agent.Sched("status", JobIdOf(run));
        Assert.Matches($@"(?m)^2\s+{agent.NodeName}\s+failed\s+1\s+3\s+exit code 3 after 1 attempt$", status.Stdout);
        Assert.Matches(@"(?m)^state\s+failed", status.Stdout);
    }

    [Fact]
    public async Task Stop_removes_the_jobs_containers_and_leaves_unmanaged_containers_alone()
    {
        var run = await agent.Sched("run", "sched-test-busybox", "--shards", "2", "--memory", "16Mi", "--cpus", "0.1", "--detach", "--", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        await Eventually(async () => (await PodmanStore.Machine.ContainersOfJob(jobId)).Count(c => c.State == "running") == 2);
        var foreign = $"foreign-{jobId}";
        var started = await PodmanStore.Machine.Podman("run", "-d", "--name", foreign, "--label", $"sched.job={jobId}", "sched-test-busybox", "sleep", "300");
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            var stop = await agent.Sched("stop", jobId);

            Assert.True(stop.ExitCode == 0, stop.ToString());
            await Eventually(async () => (await PodmanStore.Machine.ContainersOfJob(jobId)).Select(c => c.Name).SequenceEqual([foreign]));
            Assert.Equal("running", (await PodmanStore.Machine.ContainersOfJob(jobId)).Single().State);
            Assert.Matches(@"(?m)^state\s+stopped", (await agent.Sched("status", jobId)).Stdout);
        }
        finally
        {
            await PodmanStore.Machine.Podman("rm", "-f", "-t", "0", foreign);
        }
    }

    [Fact]
    public async Task A_bad_manifest_is_refused_naming_every_bad_field_and_nothing_is_stored()
    {
        var before = (await agent.Sched("jobs")).Stdout;
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(file, "shards: -1\nresources:\n  memory: 12xb\n");

        var submit = await agent.Sched("submit", file);

        Assert.True(submit.ExitCode == 2, submit.ToString());
        foreach (var field in new[] { "shards:", "resources.memory:", "image:" })
        {
            Assert.Contains(field, submit.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(before, (await agent.Sched("jobs")).Stdout);
    }

    [Fact]
    public async Task A_job_bigger_than_the_node_stays_pending_with_the_reason()
    {
        var run = await agent.Sched("run", "my-processor", "--memory", "100Ti", "--detach");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        try
        {
            await Eventually(async () => (await agent.Sched("status", jobId)).Stdout.Contains("needs 100Ti memory; largest free is", StringComparison.Ordinal));
            Assert.Matches(@"(?m)^state\s+pending", (await agent.Sched("status", jobId)).Stdout);
            Assert.Empty(await PodmanStore.Machine.ContainersOfJob(jobId));
        }
        finally
        {
            await agent.Sched("stop", jobId);
        }
    }

    private static string JobIdOf(ProcessResult run) => SchedOutput.JobIdOf(run);

    private static Task Eventually(Func<Task<bool>> condition) => Wait.Until(condition);

    [GeneratedRegex(@"cpu (\d+) (\d+)")]
    private static partial Regex CpuLine();
}

[CollectionDefinition(Name)]
public sealed class DevAgentCollection : ICollectionFixture<DevAgent>
{
    public const string Name = "dev agent";
}
