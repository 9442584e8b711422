using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Sched.EndToEnd;

/// <summary>
/// "A real cluster": three real `sched agent` processes with three real podman stores, started by
/// deploy/local-cluster.sh; where the shards ran is counted in each node's own podman store, never taken from
/// sched's view. Each job is stopped at the end of its test, and its containers are gone before the next test.
/// </summary>
[Collection(LocalClusterCollection.Name)]
[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]
public sealed partial class LocalClusterSpecs(Cluster cluster, ITestOutputHelper output)
{
    /// <summary>For waiting only: on a loaded machine the agents have been seen reporting their nodes unhealthy for 3 minutes.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Seven_shards_spread_3_2_2_over_three_nodes_and_the_log_has_one_placement_line_per_shard()
    {
        await OnlyTheInitialNodesAreUp();

        var run = await cluster.Sched("run", "my-processor", "--shards", "7", "--memory", "64Mi", "--cpus", "0.1");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var stores = await ContainersByNode(jobId);
            Assert.True(new[] { 2, 2, 3 }.SequenceEqual(stores.Values.Select(c => c.Count).Order()), Describe(stores));
            AssertEachShardRanOnce(stores, 7);

            var placed = await PlacementLines(jobId, 7);
            Assert.Equal(7, placed.Count);
            foreach (var line in placed)
            {
                Assert.Equal((1, "64Mi", "0.1"), (line.Attempt, line.Memory, line.Cpus));
                Assert.True(line.FreeMemory.Length > 0 && line.FreeCpus > 0, line.Text);
            }

            Assert.Equal(ShardToNode(stores), placed.ToDictionary(p => p.Shard, p => p.Node));

            // "What was free" is what the scheduler counted: on each node, every shard of this job takes 0.1 cpus
            // from what the next one sees.
            foreach (var node in placed.GroupBy(p => p.Node))
            {
                var free = node.Select(p => p.FreeCpus).ToList();
                Assert.True(free.Zip(free.Skip(1)).All(pair => pair.First - pair.Second == 0.1m), $"{node.Key}: {string.Join(", ", free)}");
            }

            output.WriteLine(string.Join("\n", placed.Select(p => p.Text)));
        });
    }

    [Fact]
    public async Task Binpack_puts_every_shard_in_one_node_while_it_has_room()
    {
        await OnlyTheInitialNodesAreUp();
        var run = await cluster.Sched("run", "my-processor", "--binpack", "--shards", "4", "--memory", "64Mi", "--cpus", "0.25");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var stores = await ContainersByNode(jobId);
            var used = stores.Where(s => s.Value.Count > 0).Select(s => s.Key).ToList();
            Assert.True(used.Count == 1, Describe(stores));
            Assert.Equal(4, stores[used[0]].Count);
            AssertEachShardRanOnce(stores, 4);
            Assert.All(await PlacementLines(jobId, 4), p => Assert.Equal(used[0], p.Node));
            output.WriteLine($"binpack put all 4 shards on {used[0]} ({Describe(stores)})");
        });
    }

    [Fact]
    public async Task A_constraint_node_not_node1_keeps_node1_empty()
    {
        await OnlyTheInitialNodesAreUp();
        var run = await cluster.Sched("run", "my-processor", "--constraint", "node != node1", "--shards", "4", "--memory", "64Mi", "--cpus", "0.1");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var stores = await ContainersByNode(jobId);
            Assert.True(stores["node1"].Count == 0, Describe(stores));
            Assert.True(stores.Where(s => s.Key != "node1").Sum(s => s.Value.Count) == 4, Describe(stores));
            Assert.True(stores["node2"].Count == 2 && stores["node3"].Count == 2, $"spread over the two allowed nodes: {Describe(stores)}");
            AssertEachShardRanOnce(stores, 4);
        });
    }

    /// <summary>Adds node4 to the shared cluster, so it runs after the tests that count on three nodes.</summary>
    [Fact]
    [RunsLast]
    public async Task A_job_that_fits_nowhere_is_pending_with_the_reason_and_starts_by_itself_on_a_node_that_joins()
    {
        await OnlyTheInitialNodesAreUp();
        var run = await cluster.Sched("run", "my-processor", "--cpus", "1.8", "--memory", "64Mi", "--detach");

        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            var pending = "";
            await Wait.Until(
                async () => (pending = (await cluster.Sched("status", jobId)).Stdout).Contains("needs 1.8 cpus; largest free is", StringComparison.Ordinal),
                Patience, "a pending reason naming the cpus", () => Task.FromResult(pending));
            Assert.Matches(@"(?m)^state\s+pending", pending);
            Assert.Matches(@"(?m)^1\s+-?\s*pending\s.*needs 1\.8 cpus; largest free is 1\.5 on node[1-3]\b", pending);
            Assert.True((await ContainersByNode(jobId)).Values.All(c => c.Count == 0), "nothing runs while the job is pending");
            output.WriteLine(pending);

            var clock = Stopwatch.StartNew();
            await cluster.Start("node4", "--reserve-cpus", "0");
            output.WriteLine($"local-cluster.sh start node4 took {clock.Elapsed.TotalSeconds:0.0}s");

            async Task<string> Nodes() => (await cluster.Sched("nodes")).ToString();
            await Wait.Until(
                async () => await Nodes() is var nodes && new[] { "node1", "node2", "node3", "node4" }.SequenceEqual(NodesUp(nodes))
                    && Regex.IsMatch(nodes, @"(?m)^node4\s+up\s+[\d.]+/2\s"),
                Patience, "sched nodes listing 4 nodes up, node4 with 2 cpus allocatable", Nodes);

            await Wait.Until(
                async () => StateIs((await cluster.Sched("status", jobId)).Stdout, "complete"),
                Patience, "the job completing by itself on node4", async () => (await cluster.Sched("status", jobId)).ToString());
            output.WriteLine($"complete {clock.Elapsed.TotalSeconds:0.0}s after start node4 began");
            Assert.Matches(@"(?m)^1\s+node4\s+succeeded\s+1\s+0\s", (await cluster.Sched("status", jobId)).Stdout);

            var stores = await ContainersByNode(jobId);
            Assert.True(stores["node4"].Count == 1 && stores.Values.Sum(c => c.Count) == 1, Describe(stores));
            AssertEachShardRanOnce(stores, 1);
            var placed = Assert.Single(await PlacementLines(jobId, 1));
            Assert.Equal(("node4", "1.8", 2m), (placed.Node, placed.Cpus, placed.FreeCpus));
        });
    }

    /// <summary>
    /// Waits until node1..node3 (and no other node) are up: a node the loaded machine made unhealthy for a moment
    /// would take no shards, and the counts below are about placement, not health.
    /// </summary>
    private async Task OnlyTheInitialNodesAreUp()
    {
        async Task<string> Nodes() => (await cluster.Sched("nodes")).ToString();
        await Wait.Until(
            async () => Cluster.InitialNodeNames.SequenceEqual(NodesUp(await Nodes())),
            Patience, $"exactly {string.Join(", ", Cluster.InitialNodeNames)} up", Nodes);
    }

    private static IEnumerable<string> NodesUp(string nodes) =>
        NodeLine().Matches(nodes).Where(m => m.Groups[2].Value == "up").Select(m => m.Groups[1].Value);

    /// <summary>Runs the test body, then `sched stop` and waits until no store holds the job's containers, so the next test has the room.</summary>
    private async Task StoppedAfterwards(string jobId, Func<Task> body)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await body();
        }
        finally
        {
            var stop = await cluster.Sched("stop", jobId);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            await Wait.Until(
                async () => (await ContainersByNode(jobId)).Values.All(c => c.Count == 0),
                Patience, $"the containers of {jobId} removed from every store after sched stop", async () => Describe(await ContainersByNode(jobId)));
            output.WriteLine($"{jobId}: {clock.Elapsed.TotalSeconds:0.0}s for the checks, sched stop and its containers gone");
        }
    }

    /// <summary>The job's containers in the store of every node whose agent runs; nodes a test started and stopped again are left out.</summary>
    private async Task<SortedDictionary<string, IReadOnlyList<StoreContainer>>> ContainersByNode(string jobId)
    {
        var stores = new SortedDictionary<string, IReadOnlyList<StoreContainer>>(StringComparer.Ordinal);
        foreach (var node in cluster.Nodes.Where(cluster.AgentRuns))
        {
            stores[node] = await cluster.ContainersOfJob(node, jobId);
        }

        return stores;
    }

    /// <summary>Shards 1..N each ran once, as attempt 1, and each container was told the node whose store holds it.</summary>
    private static void AssertEachShardRanOnce(SortedDictionary<string, IReadOnlyList<StoreContainer>> stores, int shards)
    {
        Assert.Equal(Enumerable.Range(1, shards), stores.Values.SelectMany(c => c).Select(c => int.Parse(c.Labels["sched.shard"], CultureInfo.InvariantCulture)).Order());
        foreach (var (node, containers) in stores)
        {
            Assert.All(containers, c => Assert.Equal((node, "1", "exited"), (c.Env["SCHED_NODE"], c.Labels["sched.attempt"], c.State)));
        }
    }

    private static Dictionary<int, string> ShardToNode(SortedDictionary<string, IReadOnlyList<StoreContainer>> stores) =>
        stores.SelectMany(s => s.Value.Select(c => (Shard: int.Parse(c.Labels["sched.shard"], CultureInfo.InvariantCulture), Node: s.Key)))
            .ToDictionary(p => p.Shard, p => p.Node);

    private static string Describe(SortedDictionary<string, IReadOnlyList<StoreContainer>> stores) =>
        string.Join(", ", stores.Select(s => $"{s.Key}: {s.Value.Count} [{string.Join(" ", s.Value.Select(c => c.Name))}]"));

    private static bool StateIs(string status, string state) => Regex.IsMatch(status, $@"(?m)^state\s+{state}\b");

    /// <summary>The job's placement lines in node1's agent log (the scheduler's), once there are at least <paramref name="expected"/>.</summary>
    private async Task<List<Placement>> PlacementLines(string jobId, int expected)
    {
        List<Placement> Read() =>
        [
            .. File.ReadLines(cluster.Node1Log)
                .Where(l => l.Contains($" placed {jobId} shard ", StringComparison.Ordinal))
                .Select(l => Placement.Parse(l, PlacedLine().Match(l))),
        ];

        await Wait.Until(() => Task.FromResult(Read().Count >= expected), Wait.Default, $"{expected} placement lines for {jobId} in {cluster.Node1Log}",
            () => Task.FromResult(string.Join("\n", Read().Select(p => p.Text))));
        return Read();
    }

    private sealed record Placement(string Text, int Shard, int Shards, int Attempt, string Node, string Memory, string Cpus, string FreeMemory, decimal FreeCpus)
    {
        public static Placement Parse(string text, Match m)
        {
            Assert.True(m.Success, $"not a placement line as the README shows it: {text}");
            int Int(string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
            return new Placement(text, Int("shard"), Int("shards"), Int("attempt"), m.Groups["node"].Value, m.Groups["memory"].Value, m.Groups["cpus"].Value,
                m.Groups["freeMemory"].Value, decimal.Parse(m.Groups["freeCpus"].Value, CultureInfo.InvariantCulture));
        }
    }

    // 11:02:19.601 INF placed my-processor-595a84 shard 1/7 attempt 1 on node1 (memory 64Mi, cpus 0.25; free before: memory 3Gi, cpus 3.5)
    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} INF placed (?<job>\S+) shard (?<shard>\d+)/(?<shards>\d+) attempt (?<attempt>\d+) on (?<node>node\d+) "
        + @"\(memory (?<memory>\S+), cpus (?<cpus>[\d.]+); free before: memory (?<freeMemory>\S+), cpus (?<freeCpus>[\d.]+)\)$")]
    private static partial Regex PlacedLine();

    [GeneratedRegex(@"(?m)^(node\d+)\s+(\S+)")]
    private static partial Regex NodeLine();
}

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<Cluster>
{
    public const string Name = "local cluster";
}
