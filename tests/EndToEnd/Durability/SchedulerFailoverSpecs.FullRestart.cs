
namespace Sched.EndToEnd.Durability;

public sealed partial class SchedulerFailoverSpecs
{
    /// <summary>
    /// Acceptance 3: every agent stopped (`local-cluster.sh stop nodeK`, all at once) and started again, all at once.
    /// Every job comes back with the same id; finished jobs with the same state and shard outcomes; running shards
    /// are adopted (same container ids); a pending job still waits.
    /// </summary>
    [Fact]
    public async Task A_full_restart_of_every_node_recovers_every_job_with_its_outcome_and_adopts_running_containers()
    {
        var figures = new Figures(output, "full-restart");
        await cluster.EnsureUp();
        await AssertNode2IsAScheduler();
        var complete = await Submit(Node1, Submissions.Manifest("fr-complete", "batch", ["true"], 3, "16Mi", 0.05, restart: "never"));
        var failed = await Submit(Node2, Submissions.Manifest("fr-failed", "batch", ["sh", "-c", "exit 3"], 2, "16Mi", 0.05, restart: "never"));
        var stopped = await Submit(Node1, Submissions.Sleeper("fr-stopped"));
        var running = await Submit(Node2, Submissions.Sleeper("fr-running", shards: 3));
        var pending = await Submit(Node1, Submissions.Waiter("fr-pending"));
        await WaitForJobs(Node1, jobs => Is(jobs, stopped, "running", running: 1), $"{stopped} running");
        await Delete(Node1, stopped);
        var before = await WaitForJobs(Node1, jobs => Is(jobs, complete, "complete") && Is(jobs, failed, "failed") && Is(jobs, stopped, "stopped")
            && Is(jobs, running, "running", running: 3) && Is(jobs, pending, "pending"), "each job in its state");
        var runningIds = before.Single(j => j.Id == running).Shards.Select(s => s.ContainerId).ToHashSet();
        figures.Print($"before: {before.Count} jobs; {string.Join("; ", before.Where(j => new[] { complete, failed, stopped, running, pending }.Contains(j.Id)))}");

        await using var sampler = new StoreSampler(cluster).Start();
        var stopTook = await StopAll("node1", "node2", "node3");
        var (node1Took, allTook) = await StartAll();
        var after = await WaitForJobs(Node1, jobs => JobOutcome.Differences(before, jobs).Count == 0, "every job as it was",
            timeout: Settle);
        var fromNode2 = JobOutcome.All(await cluster.Jobs(Node2));
        await sampler.Keep(TimeSpan.FromSeconds(2));

        figures.Print($"stopping all agents took {Figures.S(stopTook)}; node1 up after {Figures.S(node1Took)}, all after {Figures.S(allTook)}; "
            + $"{after.Count} jobs recovered; {sampler.Summary()}");
        figures.Print(RecoveryLines());
        Assert.Empty(JobOutcome.Differences(before, fromNode2));
        var containers = await cluster.ContainersOfJob(running);
        Assert.Equal(runningIds.Order(), containers.Where(c => c.Running).Select(c => (string?)c.Id).Order());
        Assert.All(containers, c => Assert.Equal(1, c.Attempt));
        Assert.True(sampler.WithDuplicates.Count == 0, NoDuplicates(sampler));
    }

    /// <summary>
    /// Acceptance 3 after acceptance 2: node1 died and node2 took over and accepted jobs; then every agent is stopped
    /// and started again, all at once. node1's disk missed what happened meanwhile, so its scheduler must wait for
    /// node2 before it recovers. Nothing node2 accepted or learned may be lost, and nothing may run twice.
    /// </summary>
    [Fact]
    [RunsLast]
    public async Task A_full_restart_after_node1_died_recovers_what_node2_accepted_while_node1_was_down()
    {
        var figures = new Figures(output, "full-restart-after-failover");
        if (await cluster.TryJobs(Node1) is not null)
        {
            await cluster.EnsureUp();
            await cluster.Kill("node1", containers: true);
            figures.Print("node1 was alive: killed it (with its containers)");
        }

        await WaitForJobs(Node2, _ => true, "node2's API answers with the jobs once node1 is gone");
        var service = await Submit(Node2, Submissions.Sleeper("fr2-during", shards: 2));
        var batch = await Submit(Node2, Submissions.Manifest("fr2-batch", "batch", ["true"], 2, "16Mi", 0.05, restart: "never"));
        await using var sampler = new StoreSampler(cluster).Start();
        var before = await WaitForJobs(Node2, jobs => Is(jobs, service, "running", running: 2) && Is(jobs, batch, "complete")
            && jobs.All(j => j.Finished || j.Status == "pending" || j.Shards.All(s => s.Status == "running")), "the new jobs done and every running job's shards running");
        var listedAt = sampler.Clock.Elapsed;
        var live = (await sampler.WaitFor(s => s.Answered(AllNodes), listedAt, TimeSpan.FromSeconds(60), "a sample of every store")).All.Select(c => c.Name).ToHashSet();
        var believedOnly = before.SelectMany(j => j.Shards.Where(s => s.Status == "running" && !live.Contains($"sched-{j.Id}-{s.Shard}-{s.Attempt}")).Select(s => $"{j.Id}/{s.Shard}@{s.Node}")).ToList();
        figures.Print($"before: {before.Count} jobs, listed by node2 while node1 is down; {believedOnly.Count} shards listed as running whose container does not run: {string.Join(", ", believedOnly)}");
        var stopTook = await StopAll("node2", "node3");
        var (node1Took, allTook) = await StartAll();
        IReadOnlyList<string> differences = [];
        var settled = await WaitForJobsOrTimeout(Node1, jobs => (differences = JobOutcome.Differences(before, jobs, live)).Count == 0);
        await sampler.Keep(TimeSpan.FromSeconds(5));

        figures.Print($"stopping node2, node3 took {Figures.S(stopTook)}; node1 up after {Figures.S(node1Took)}, all after {Figures.S(allTook)}; "
            + $"{(settled ? "every job as it was" : $"{differences.Count} differences after {Figures.S(Settle)}")}; {sampler.Summary()}");
        figures.Print(RecoveryLines());
        foreach (var difference in differences.Take(30))
        {
            figures.Print($"difference: {difference}");
        }

        Assert.True(sampler.WithDuplicates.Count == 0, NoDuplicates(sampler));
        Assert.Empty(differences);
    }

    private Task<bool> WaitForJobsOrTimeout(string address, Func<IReadOnlyList<JobOutcome>, bool> condition) =>
        Wait.Within(async () => await cluster.TryJobs(address) is { } listed && condition(JobOutcome.All(listed)), Settle, TimeSpan.FromMilliseconds(500));
}
