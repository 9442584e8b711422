namespace Sched.EndToEnd.Failures;

public sealed partial class NodeFailureSpecs
{
    /// <summary>
    /// `local-cluster.sh stop node2` (SIGTERM: the agent leaves the cluster) then `start node2` a moment later: the
    /// new agent finds its containers and adopts them. Same container ids, same start times, no new attempt anywhere.
    /// </summary>
    [Fact]
    public async Task Restarting_a_workers_agent_keeps_its_running_containers_and_the_job_is_unaffected()
    {
        await cluster.EnsureUp();
        var jobId = await cluster.RunService(6);
        try
        {
            var perNode = await cluster.WaitAllRunning(jobId, 6);
            Assert.True(perNode["node2"] > 0, $"nothing of {jobId} on node2: {Cluster.Describe(perNode)}");
            var before = (await cluster.ContainersOfJob("node2", jobId)).Where(c => c.Running).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            await using var sampler = new StoreSampler(cluster).Start();

            var stopping = sampler.Clock.Elapsed;
            await cluster.Stop("node2");
            var stopped = sampler.Clock.Elapsed;
            await cluster.Start("node2");
            var up = sampler.Clock.Elapsed;
            var adopted = await Wait.Until(
                () => Task.FromResult(cluster.LogLines("node2", "adopted running container").Count(l => l.Contains(jobId, StringComparison.Ordinal)) >= before.Count),
                TimeSpan.FromSeconds(60), $"node2's new agent adopts its {before.Count} containers", () => Task.FromResult(cluster.LogTail("node2")));
            await sampler.Keep(TimeSpan.FromSeconds(3));

            Print($"stop took {F((stopped - stopping).TotalSeconds)} s, start until up {F((up - stopped).TotalSeconds)} s, adopted {F(adopted.TotalSeconds)} s later");
            Print(string.Join("\n", cluster.LogLines("node2", "adopted", "reconciled")));
            var after = (await cluster.ContainersOfJob("node2", jobId)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            foreach (var (b, a) in before.Zip(after))
            {
                Print($"{b.Name}: {b.Id[..12]} started {b.StartedAt:HH:mm:ss.fff} -> {a.Id[..12]} started {a.StartedAt:HH:mm:ss.fff}, {a.State}");
            }

            Assert.Equal(before.Select(c => (c.Name, c.Id, c.StartedAt, "running")), after.Select(c => (c.Name, c.Id, c.StartedAt, c.State)));
            var all = await cluster.ContainersOfJob(jobId);
            Assert.True(all.Count == 6 && all.All(c => c.Running && c.Attempt == 1),
                $"expected the 6 first attempts running and nothing else: {string.Join(", ", all.Select(c => $"{c.Node}:{c.Name}:{c.State}"))}\n{cluster.MembershipEvents()}");
            var job = await cluster.Job(jobId);
            Assert.Equal("running", job.GetProperty("status").GetString());
            Assert.All(job.GetProperty("shards").EnumerateArray(), s =>
                Assert.Equal(("running", 1), (s.GetProperty("status").GetString(), s.GetProperty("attempt").GetInt32())));
            Print(sampler.Summary());
            Assert.True(sampler.WithDuplicates.Count == 0, sampler.DuplicateReport());
        }
        finally
        {
            await cluster.StopJob(jobId);
        }
    }
}
