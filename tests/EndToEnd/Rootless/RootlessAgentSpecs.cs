using Xunit.Abstractions;

namespace Sched.EndToEnd.Rootless;

/// <summary>
/// An agent run as an ordinary user against that user's podman (rootless mode). Rootless podman can limit a
/// container only where the kernel lets that user: not at all on cgroup v1, which ignores the limits with a mere
/// warning. sched never runs a shard without its limits, so such a node says why at start and takes no shard.
/// </summary>
public sealed class RootlessAgentSpecs(RootlessPodman podman, ITestOutputHelper output) : IClassFixture<RootlessPodman>
{
    [Fact]
    public async Task A_rootless_agent_runs_as_its_user_and_where_podman_cannot_limit_a_job_stays_pending_with_the_reason()
    {
        var cgroups = await podman.Info("{{.Host.CgroupsVersion}} {{.Host.Security.Rootless}} {{.Host.CgroupControllers}}");
        output.WriteLine($"{podman}: cgroup version, rootless, controllers: {cgroups}");
        Assert.StartsWith("v", cgroups, StringComparison.Ordinal);
        Assert.Contains(" true ", cgroups, StringComparison.Ordinal);
        var canLimit = cgroups.StartsWith("v2", StringComparison.Ordinal) && cgroups.Contains("memory", StringComparison.Ordinal) && cgroups.Contains("cpu", StringComparison.Ordinal);

        // No --podman-socket: run as a user, the agent finds that user's podman in $XDG_RUNTIME_DIR, as podman does.
        await using var agent = DevAgent.OnDefaultSocket("rootless-node");
        await Processes.Must("chown", "-R", $"{RootlessPodman.User}:{RootlessPodman.User}", agent.DataDir);
        agent.Launcher = podman.AsUser;
        agent.Binary = podman.SchedBinary;
        agent.StartedStatus = canLimit ? "up" : "unhealthy";
        await agent.StartAsync();
        var processOwner = (await Processes.Must("ps", "-o", "user=", "-p", File.ReadAllText(Path.Combine(agent.DataDir, "agent.pid")).Trim())).Trim();
        await Wait.Until(async () => !(await agent.Sched("nodes")).Stdout.Contains("not probed yet", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the agent has probed its podman", () => Task.FromResult(agent.IncarnationLog));
        var nodes = (await agent.Sched("nodes")).Stdout;
        output.WriteLine(nodes);
        output.WriteLine(agent.IncarnationLog);
        Assert.Equal(RootlessPodman.User, processOwner);
        Assert.Contains($"podman {podman.Socket}", agent.IncarnationLog, StringComparison.Ordinal);
        if (canLimit)
        {
            Assert.Matches(@"(?m)^rootless-node\s+up\s", nodes);
            return;
        }

        const string Reason = "rootless podman on cgroup v1 cannot enforce memory or CPU limits";
        Assert.Contains($"node rootless-node unhealthy: {Reason}", agent.IncarnationLog, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^rootless-node\s+unhealthy \({Reason}", nodes);

        var run = await agent.Sched("run", "my-processor", "--shards", "2", "--memory", "32Mi", "--cpus", "0.1", "--detach");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        await Wait.Until(async () => (await agent.Sched("status", jobId)).Stdout.Contains(Reason, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the job's pending reason names the node's missing limits", async () => (await agent.Sched("status", jobId)).Stdout);
        var status = (await agent.Sched("status", jobId)).Stdout;
        output.WriteLine(status);
        Assert.Matches(@"(?m)^state\s+pending", status);
        var containers = await Processes.Must(podman.AsUser[0], [.. podman.AsUser.Skip(1), "podman", "--url", $"unix://{podman.Socket}", "ps", "-aq"]);
        Assert.Equal("", containers.Trim());
        await agent.Sched("stop", jobId);
    }
}
