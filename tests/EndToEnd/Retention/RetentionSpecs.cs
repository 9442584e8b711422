using Xunit.Abstractions;

namespace Sched.EndToEnd.Retention;

/// <summary>The local three-node cluster with finished jobs kept for a few seconds only (<c>--retain-finished 5s</c>).</summary>
public sealed class ShortRetentionCluster : Cluster
{
    public const string RetainFinished = "5s";

    protected override IReadOnlyList<string> AgentFlags(string node) => ["--retain-finished", RetainFinished];
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ShortRetentionCollection : ICollectionFixture<ShortRetentionCluster>
{
    public const string Name = "retention: short retention cluster";
}

/// <summary>Acceptance 5 of issue 15, end to end: a finished job goes from the scheduler and from every podman store, its logs stay.</summary>
[Collection(ShortRetentionCollection.Name)]
public sealed class RetentionSpecs(ShortRetentionCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task A_finished_job_leaves_no_container_in_any_store_and_sched_logs_still_prints_each_shards_output()
    {
        var run = await cluster.Sched("run", "sched-test-busybox", "--shards", "3", "--cpus", "0.1", "--memory", "32Mi",
            "--", "sh", "-c", "echo kept output of shard $SHARD; echo second line of shard $SHARD");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Split(':')[0]["job ".Length..].Trim();
        output.WriteLine($"job {jobId} succeeded");

        await Wait.Until(async () => (await cluster.ContainersOfJob(jobId)).Count == 0 && !(await cluster.Sched("jobs")).Stdout.Contains(jobId, StringComparison.Ordinal),
            TimeSpan.FromSeconds(120), $"job {jobId} removed from the scheduler and every store",
            async () => $"containers: {string.Join(", ", (await cluster.ContainersOfJob(jobId)).Select(c => c.Name))}; jobs: {(await cluster.Sched("jobs")).Stdout}");

        foreach (var shard in new[] { 1, 2, 3 })
        {
            var logs = await cluster.Sched("logs", jobId, "--shard", $"{shard}");
            output.WriteLine(logs.Stdout);
            Assert.True(logs.ExitCode == 0, logs.ToString());
            Assert.Contains($"kept output of shard {shard}\nsecond line of shard {shard}\n", logs.Stdout, StringComparison.Ordinal);
            Assert.Contains($"sched: archived log of sched-{jobId}-{shard}-1", logs.Stdout, StringComparison.Ordinal);
        }

        Assert.Empty(await cluster.ContainersOfJob(jobId));
    }
}
