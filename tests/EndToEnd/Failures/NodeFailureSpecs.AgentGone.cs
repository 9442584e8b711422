namespace Sched.EndToEnd.Failures;

public sealed partial class NodeFailureSpecs
{
    /// <summary>
    /// Issue 15, acceptance 2: node2's agent alone is SIGKILLed (an OOM kill, a crash); podman's conmon keeps its
    /// containers running. Its guard stops them once the agent's lease runs out, before the majority downs node2 and
    /// places its shards on node1 and node3; then node2's agent is started again, as systemd restarts it.
    /// </summary>
    [Fact]
    public Task A_workers_agent_killed_alone_its_shards_run_elsewhere_and_no_shard_ever_runs_twice() => AgentGone("KILL");

    /// <summary>
    /// The same with SIGSTOP (a long GC or SD-card stall: the process exists and does nothing), then SIGCONT: the
    /// agent finds it was downed and rejoins (or, if it exits, is started again as systemd would).
    /// </summary>
    [Fact]
    public Task A_workers_agent_frozen_alone_its_shards_run_elsewhere_and_no_shard_ever_runs_twice() => AgentGone("STOP");

    private async Task AgentGone(string signal)
    {
        const int shards = 6;
        string[] survivors = ["node1", "node3"];
        await cluster.EnsureUp();
        var jobId = await cluster.RunService(shards);
        try
        {
            var perNode = await cluster.WaitAllRunning(jobId, shards);
            Assert.True(perNode["node2"] > 0, $"nothing of {jobId} on node2: {Cluster.Describe(perNode)}");
            var onNode2 = (await cluster.ContainersOfJob("node2", jobId)).Where(c => c.Running).Select(c => c.Id).ToHashSet();
            await using var sampler = new StoreSampler(cluster).Start();
            await sampler.WaitFor(s => s.Answered([.. Cluster.InitialNodeNames]) && s.ShardsRunning(jobId, [.. Cluster.InitialNodeNames]) == shards,
                TimeSpan.Zero, TimeSpan.FromSeconds(30), "a first sample of every store");

            var signalled = sampler.Clock.Elapsed;
            await cluster.Signal("node2", signal);
            var fenced = await sampler.WaitFor(s => s.Answered("node2") && s.ContainersRunning(jobId, "node2") == 0,
                signalled, TimeSpan.FromSeconds(60), $"node2's guard stops the {onNode2.Count} containers of {jobId} its agent no longer vouches for");
            var elsewhere = await sampler.WaitFor(
                s => s.Answered(survivors) && s.ShardsRunning(jobId, survivors) == shards
                    && s.ContainersRunning(jobId, "node1") + s.ContainersRunning(jobId, "node3") == shards,
                signalled, TimeSpan.FromSeconds(120), $"all {shards} shards of {jobId} running on node1 and node3");
            Assert.True(cluster.AgentRuns("node2") == (signal == "STOP"), $"node2's agent after SIG{signal}: running {cluster.AgentRuns("node2")}");

            await BringBack("node2", signal);
            var back = sampler.Clock.Elapsed;
            var converged = await sampler.WaitFor(
                s => s.Answered([.. Cluster.InitialNodeNames]) && s.ShardsRunning(jobId, [.. Cluster.InitialNodeNames]) == shards
                    && s.All.Count(c => c.Job == jobId) == shards,
                back, TimeSpan.FromSeconds(120), $"once node2 is back, each of the {shards} shards of {jobId} running once");
            await sampler.Keep(TimeSpan.FromSeconds(10));

            Print($"SIG{signal} to node2's agent: its {onNode2.Count} containers stopped by its guard after {F((fenced.Finished - signalled).TotalSeconds)} s "
                + $"(sample {F((fenced.Started - signalled).TotalSeconds)}-{F((fenced.Finished - signalled).TotalSeconds)} s); "
                + $"all {shards} on node1+node3 after {F((elsewhere.Finished - signalled).TotalSeconds)} s; node2 back at {F((back - signalled).TotalSeconds)} s; "
                + $"converged at {F((converged.Finished - signalled).TotalSeconds)} s; {sampler.Summary()}");
            Print("guard: " + string.Join("\nguard: ", cluster.GuardLogLines("node2", "lease", "stopped", "could not")));
            Print(cluster.MembershipEvents());
            Assert.True(sampler.WithDuplicates.Count == 0, sampler.DuplicateReport());
            Assert.True(fenced.Finished <= elsewhere.Started, $"node2's containers were still running when its shards already ran elsewhere");
            Assert.NotEmpty(cluster.GuardLogLines("node2", "guard stopped"));
            var restartedOnNode2 = (await cluster.ContainersOfJob("node2", jobId)).Where(c => onNode2.Contains(c.Id) && c.Running).ToList();
            Assert.True(restartedOnNode2.Count == 0, $"node2 runs its old containers again: {string.Join(", ", restartedOnNode2.Select(c => c.Name))}");
            var job = await cluster.Job(jobId);
            Assert.All(job.GetProperty("shards").EnumerateArray(), s => Assert.Equal("running", s.GetProperty("status").GetString()));
        }
        finally
        {
            await cluster.StopJob(jobId);
        }
    }

    /// <summary>
    /// A killed agent is started again, as systemd's Restart= would. A frozen one is let go on (SIGCONT): it rejoins
    /// by itself, or exits (then it is started again). Returns when the node is up in the scheduler's view.
    /// </summary>
    private async Task BringBack(string node, string signal)
    {
        if (signal == "STOP")
        {
            var starts = cluster.LogLines(node, "started: cluster").Count;
            await cluster.Signal(node, "CONT");
            await Wait.Until(() => Task.FromResult(!cluster.AgentRuns(node) || cluster.LogLines(node, "started: cluster").Count > starts),
                TimeSpan.FromSeconds(120), $"{node}'s agent starts a new actor system to rejoin, or exits, after SIGCONT", () => Task.FromResult(cluster.LogTail(node, 20)));
            Print($"{node}'s agent after SIGCONT: {(cluster.AgentRuns(node) ? "still runs and rejoins with a new actor system" : "exited; starting it again")}");
        }

        await cluster.Start(node);
    }
}
