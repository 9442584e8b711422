using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Failures;

/// <summary>
/// DESIGN §5, a partitioned node: node3 runs in its own network namespace and loses its link to node1 and node2.
/// It must stop its own containers (fencing) before the majority runs them elsewhere, so a sampler of all three
/// stores never sees a shard running twice; when the link is back, node3 rejoins with nothing of the job running.
/// </summary>
[Collection(FailuresCollection.Name)]
public sealed partial class PartitionSpecs(PartitionCluster cluster, ITestOutputHelper output) : IClassFixture<PartitionCluster>
{
    private static readonly string[] All = [.. Cluster.InitialNodeNames];

    [Fact]
    public async Task A_cut_off_node_fences_its_shards_the_majority_runs_them_and_it_rejoins_clean()
    {
        output.WriteLine($"network: {cluster}");
        await cluster.EnsureUp();
        var jobId = await cluster.RunService(6);
        var cut = false;
        try
        {
            var perNode = await cluster.WaitAllRunning(jobId, 6);
            Assert.True(perNode["node3"] > 0, $"nothing of {jobId} on node3: {Cluster.Describe(perNode)}");
            await using var sampler = new StoreSampler(cluster).Start();
            await sampler.WaitFor(s => s.Answered(All) && s.ShardsRunning(jobId, All) == 6, TimeSpan.Zero, TimeSpan.FromSeconds(30), "a first sample");

            var cutAt = sampler.Clock.Elapsed;
            await cluster.Network.Cut();
            cut = true;
            var fenced = await sampler.WaitFor(s => s.Answered("node3") && s.ContainersRunning(jobId, "node3") == 0,
                cutAt, TimeSpan.FromSeconds(90), "node3 stops its containers of the job");
            var moved = await sampler.WaitFor(s => s.Answered("node1", "node2") && s.ShardsRunning(jobId, "node1", "node2") == 6,
                cutAt, TimeSpan.FromSeconds(90), "all 6 shards running on node1 and node2");
            await Wait.Until(async () => (await cluster.NodeStates()).GetValueOrDefault("node3") is "down" or "unreachable",
                TimeSpan.FromSeconds(30), "the scheduler no longer counts node3 as up");
            await sampler.Keep(TimeSpan.FromSeconds(3));
            var fencing = cluster.LogLines("node3", "fencing node node3", "fenced node node3");

            var reconciledBefore = cluster.LogLines("node1", "reconciled node node3").Count;
            var healAt = sampler.Clock.Elapsed;
            await cluster.Network.Heal();
            cut = false;
            var rejoined = await Wait.Until(async () => (await cluster.NodeStates()).GetValueOrDefault("node3") == "up",
                TimeSpan.FromSeconds(120), "node3 is up again after the link is back", async () => (await cluster.Sched("nodes")).Stdout + cluster.LogTail("node3"));
            await Wait.Until(() => Task.FromResult(cluster.LogLines("node1", "reconciled node node3").Count > reconciledBefore),
                TimeSpan.FromSeconds(60), "the scheduler reconciles node3's containers after it rejoined");
            await sampler.Keep(TimeSpan.FromSeconds(5));

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"before: {Cluster.Describe(perNode)}; cut at {cutAt.TotalSeconds:0.00} s; node3's containers stopped after "
                + $"{(fenced.Finished - cutAt).TotalSeconds:0.00} s; 6 running on node1+node2 after {(moved.Finished - cutAt).TotalSeconds:0.00} s; "
                + $"healed at {healAt.TotalSeconds:0.00} s; node3 up {rejoined.TotalSeconds:0.00} s later"));
            output.WriteLine(string.Join("\n", fencing));
            output.WriteLine(cluster.MembershipEvents());
            var nodes = await cluster.Sched("nodes");
            output.WriteLine(nodes.Stdout);
            output.WriteLine(sampler.Summary());

            Assert.NotEmpty(fencing);
            Assert.Matches(@"(?m)^node3\s+up\s", nodes.Stdout);
            var stale = (await cluster.ContainersOfJob("node3", jobId)).Where(c => c.Running).ToList();
            Assert.True(stale.Count == 0, $"running on node3 after it rejoined: {string.Join(", ", stale.Select(c => c.Name))}");
            var job = await cluster.Job(jobId);
            Assert.Equal(6, job.GetProperty("counts").GetProperty("running").GetInt32());
            Assert.Equal(6, (await cluster.RunningPerNode(jobId)).Values.Sum());
            Assert.True(sampler.WithDuplicates.Count == 0, $"shards ran twice:\n{sampler.DuplicateReport()}");
        }
        finally
        {
            if (cut)
            {
                await cluster.Network.Heal();
            }

            await cluster.StopJob(jobId);
        }
    }
}
