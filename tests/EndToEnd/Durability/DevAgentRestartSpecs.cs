using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// Acceptance 1 of "Durable scheduler state and failover": the dev agent is SIGKILLed in the middle of a 7-shard
/// batch job and started again on the same data dir. What ran is read from the podman store itself.
/// </summary>
[Collection(DurableDevAgentCollection.Name)]
public sealed class DevAgentRestartSpecs(PrivatePodman store, ITestOutputHelper output)
{
    private const int Shards = 7;

    /// <summary>Shard i sleeps i × this many seconds: enough spread that some finish before the kill and some still run, on a loaded machine.</summary>
    private const int SecondsPerShard = 4;

    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(3);
    private readonly Figures _figures = new(output, "dev-agent-kill");

    [Fact]
    public async Task A_dev_agent_killed_mid_job_recovers_it_reruns_no_finished_shard_and_adopts_the_running_ones()
    {
        var clock = Stopwatch.StartNew();
        await using var agent = DevAgent.On(store, "dur-kill");
        _figures.Print($"agent up after {Figures.S(await agent.StartAsync())}");
        var run = await agent.Sched("run", "sched-test-busybox", "--shards", $"{Shards}", "--memory", "16Mi", "--cpus", "0.1", "--detach",
            "--", "sh", "-c", $"sleep $((SHARD*{SecondsPerShard})); echo done");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = SchedOutput.JobIdOf(run);

        IReadOnlyList<StoreContainer> before = [];
        await Wait.Until(
            async () => (before = await store.ContainersOfJob(jobId)).Count(Succeeded) >= 2 && before.Count(c => c.Running) >= 2,
            TimeSpan.FromSeconds(180), $"at least 2 shards of {jobId} finished and 2 running", () => Task.FromResult(Describe(before)));
        agent.Kill();
        var killedAt = clock.Elapsed;
        var runningAtKill = before.Where(c => c.Running).ToDictionary(c => c.Shard, c => c.Id);
        var finishedAtKill = before.Where(Succeeded).Select(c => c.Shard).ToHashSet();
        _figures.Print($"SIGKILL at {Figures.S(killedAt)}; store then: {Describe(before)}");

        await Task.Delay(DownFor);
        var restartedAt = DateTimeOffset.Now;
        var restartTook = await agent.StartAsync();
        var upAgainAt = DateTimeOffset.Now;
        _figures.Print($"restarted after {Figures.S(DownFor)} down; up again after {Figures.S(restartTook)}");
        await Wait.Until(async () => (await agent.Job(jobId)).GetProperty("status").GetString() is "complete" or "failed",
            TimeSpan.FromSeconds(240), $"{jobId} finished after the restart", async () => $"{await agent.Job(jobId)}\n{agent.IncarnationLog}");

        var job = await agent.Job(jobId);
        var after = await store.ContainersOfJob(jobId);
        _figures.Print($"job {job.GetProperty("status").GetString()} {Figures.S(clock.Elapsed)} after submission; store: {Describe(after)}");
        Assert.Equal("complete", job.GetProperty("status").GetString());
        Assert.Equal(Enumerable.Range(1, Shards), after.Select(c => c.Shard).Order());
        Assert.All(after, c => Assert.Equal((1, "exited", 0L), (c.Attempt, c.State, c.ExitCode)));
        Assert.All(after, c => Assert.Equal($"sched-{jobId}-{c.Shard}-1", c.Name));
        foreach (var (shard, id) in runningAtKill)
        {
            Assert.Equal(id, after.Single(c => c.Shard == shard).Id);
        }

        foreach (var shard in job.GetProperty("shards").EnumerateArray())
        {
            var n = shard.GetProperty("shard").GetInt32();
            Assert.Equal(("succeeded", 1, 0L), (shard.GetProperty("status").GetString(), shard.GetProperty("attempt").GetInt32(), shard.GetProperty("exitCode").GetInt64()));
            Assert.Equal(after.Single(c => c.Shard == n).Id, shard.GetProperty("containerId").GetString());
        }

        foreach (var container in after)
        {
            Assert.Contains("done", (await store.Podman("logs", container.Id)).Stdout, StringComparison.Ordinal);
        }

        var endedWhileDown = runningAtKill.Keys.Count(s => after.Single(c => c.Shard == s).FinishedAt < restartedAt);
        var endedWhileStarting = runningAtKill.Keys.Count(s => after.Single(c => c.Shard == s).FinishedAt is var t && t >= restartedAt && t < upAgainAt);
        _figures.Print(string.Create(CultureInfo.InvariantCulture,
            $"{finishedAtKill.Count} shards finished before the kill (not re-run), {runningAtKill.Count} running at the kill (adopted, same container ids; {endedWhileDown} of them ended while the agent was down, {endedWhileStarting} while it started again); "
            + $"reconcile lines: {string.Join(" | ", agent.IncarnationLog.Split('\n').Where(l => l.Contains("reconciled", StringComparison.Ordinal) || l.Contains("recovered", StringComparison.Ordinal)).Select(l => l.Trim()))}"));
    }

    private static bool Succeeded(StoreContainer c) => c.State == "exited" && c.ExitCode == 0;

    private static string Describe(IReadOnlyList<StoreContainer> containers) =>
        string.Join(", ", containers.OrderBy(c => c.Shard).Select(c => $"{c.Shard}/{c.Attempt} {c.State}{(c.State == "exited" ? $"({c.ExitCode})" : "")}"));
}
