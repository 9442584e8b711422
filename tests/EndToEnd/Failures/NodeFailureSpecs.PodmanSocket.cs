using System.Diagnostics;

namespace Sched.EndToEnd.Failures;

public sealed partial class NodeFailureSpecs
{
    /// <summary>
    /// node2's podman API service stops (its agent keeps running): sched reports node2 unhealthy, a new job's shards
    /// go only to node1 and node3; the service starts again (local-cluster.sh start node2) and node2 is up and takes work.
    /// </summary>
    [Fact]
    public async Task A_node_whose_podman_socket_stops_is_unhealthy_gets_no_new_shards_and_comes_back_when_it_starts()
    {
        await cluster.EnsureUp();
        string? jobId = null;
        string? probe = null;
        try
        {
            var clock = Stopwatch.StartNew();
            await cluster.StopPodmanService("node2");
            var stopped = clock.Elapsed;
            var unhealthy = await Wait.Until(async () => (await cluster.NodeStates()).GetValueOrDefault("node2") == "unhealthy",
                TimeSpan.FromSeconds(35), "sched reports node2 unhealthy", async () => (await cluster.Sched("nodes")).Stdout);
            var nodes = await cluster.Sched("nodes");
            Print($"podman service of node2 stopped in {F(stopped.TotalSeconds)} s; unhealthy {F(unhealthy.TotalSeconds)} s later\n{nodes.Stdout}");
            Assert.Matches(@"(?m)^node2\s+unhealthy \(", nodes.Stdout);

            jobId = await cluster.RunService(4);
            var perNode = await cluster.WaitAllRunning(jobId, 4);
            Print($"new job {jobId}: {Cluster.Describe(perNode)}");
            Assert.Empty(await cluster.ContainersOfJob("node2", jobId));
            Assert.Equal(4, perNode["node1"] + perNode["node3"]);
            await cluster.StopJob(jobId);

            var restarting = clock.Elapsed;
            await cluster.Start("node2");
            var up = await Wait.Until(async () => (await cluster.NodeStates()).GetValueOrDefault("node2") == "up",
                TimeSpan.FromSeconds(60), "node2 up again");
            Print($"podman service started again; node2 up {F((clock.Elapsed - restarting).TotalSeconds)} s after `start node2` began");

            var run = await cluster.Sched("run", "sched-test-busybox", "--constraint", "node == node2", "--memory", "16Mi", "--cpus", "0.1", "--", "true");
            probe = JobIdOf(run);
            Assert.True(run.ExitCode == 0, run.ToString());
            var ran = Assert.Single(await cluster.ContainersOfJob("node2", probe));
            Assert.Equal((0L, "exited"), (ran.ExitCode, ran.State));
        }
        finally
        {
            await cluster.EnsureUp();
            await cluster.StopJob(jobId);
            await cluster.StopJob(probe);
        }
    }

    /// <summary>
    /// DESIGN §5: a shard never runs twice. node2 runs shards of a service job when its podman service stops; its
    /// containers keep running (conmon holds them, not the service). They must not be started elsewhere as well,
    /// neither while the socket is down nor after it is back.
    /// </summary>
    [Fact]
    public async Task Shards_running_on_a_node_whose_podman_socket_stops_do_not_run_twice()
    {
        await cluster.EnsureUp();
        var jobId = await cluster.RunService(6);
        try
        {
            var perNode = await cluster.WaitAllRunning(jobId, 6);
            Assert.True(perNode["node2"] > 0, $"nothing of {jobId} on node2: {Cluster.Describe(perNode)}");
            await using var sampler = new StoreSampler(cluster).Start();

            await cluster.StopPodmanService("node2");
            await sampler.Keep(TimeSpan.FromSeconds(20));
            await cluster.Start("node2");
            await sampler.Keep(TimeSpan.FromSeconds(15));

            Print($"before: {Cluster.Describe(perNode)}; after: {Cluster.Describe(await cluster.RunningPerNode(jobId))}");
            Print(sampler.Summary());
            Print(string.Join("\n", cluster.LogLines("node1", "retrying", "attempt 2").Where(l => l.Contains(jobId, StringComparison.Ordinal))));
            Print(string.Join("\n", cluster.LogLines("node2", "could not run", "unhealthy", "healthy")));
            Assert.True(sampler.WithDuplicates.Count == 0, $"shards ran twice:\n{sampler.DuplicateReport()}");
        }
        finally
        {
            await cluster.EnsureUp();
            await cluster.StopJob(jobId);
        }
    }
}
