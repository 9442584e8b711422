namespace Sched.EndToEnd;

/// <summary>`sched plan` (issue 18 acceptance 7): the reason a job would wait is the one its submission gets, and nothing is stored.</summary>
public sealed partial class LocalClusterSpecs
{
    [Fact]
    public async Task Plan_of_a_job_that_fits_nowhere_shows_the_reason_the_submission_gets_and_stores_nothing()
    {
        await OnlyTheInitialNodesAreUp();
        Directory.CreateDirectory(cluster.HostData);
        var manifest = Path.Combine(cluster.HostData, "too-big.yaml");
        await File.WriteAllTextAsync(manifest, "name: too-big\nimage: my-processor\nshards: 2\nresources: { memory: 100Ti, cpus: 0.1 }\n");
        var jobsBefore = (await cluster.Sched("jobs")).Stdout;

        var plan = await cluster.Sched("plan", manifest);
        var jobsAfterPlan = (await cluster.Sched("jobs")).Stdout;

        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Equal(jobsBefore, jobsAfterPlan);
        var submitted = await cluster.Sched("submit", manifest, "--detach");
        var jobId = submitted.Stdout.Trim();
        await StoppedAfterwards(jobId, async () =>
        {
            var reason = "";
            await Wait.Until(async () => (reason = (await ShardsOf(jobId))[0].GetProperty("reason").GetString() ?? "").Length > 0,
                Patience, "the submitted job's shard says why it waits");
            Assert.Contains(reason, plan.Stdout, StringComparison.Ordinal);
            Assert.Contains("0 of 2 shards would start now; nothing was stored or started", plan.Stdout, StringComparison.Ordinal);
            output.WriteLine(plan.Stdout);
        });
    }
}
