using System.Collections.Immutable;
using System.Diagnostics;
using Prometheus;
using Sched.Contracts.Messages;
using Sched.Scheduler.Metrics;
using Xunit.Abstractions;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>The gauges set from the scheduler's job and node lists on each scrape.</summary>
public sealed class ClusterStateMetricsSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private ClusterStateMetrics? _state;

    private ClusterStateMetrics State => _state ??= new ClusterStateMetrics(_registry, Retention);

    [Fact]
    public async Task Nodes_are_counted_in_every_state_and_each_reports_cores_and_bytes()
    {
        State.Update([], [Node("node1", NodeStatus.Up, allocatedMilliCpus: 1250, allocatedMemory: 3 * Gi), Node("node2", NodeStatus.Down)], T0);

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(1, samples["sched_scheduler_reachable"]);
        Assert.Equal(
            new Dictionary<string, double>
            {
                ["sched_nodes{state=\"up\"}"] = 1,
                ["sched_nodes{state=\"unhealthy\"}"] = 0,
                ["sched_nodes{state=\"unreachable\"}"] = 0,
                ["sched_nodes{state=\"down\"}"] = 1,
            },
            samples.Of("sched_nodes"));
        Assert.Equal(
            (4.5, 4.0, 1.25, 2.75),
            (samples["sched_node_capacity_cpu_cores{node=\"node1\"}"], samples["sched_node_allocatable_cpu_cores{node=\"node1\"}"],
                samples["sched_node_allocated_cpu_cores{node=\"node1\"}"], samples["sched_node_free_cpu_cores{node=\"node1\"}"]));
        Assert.Equal(
            (8.5 * Gi, 8.0 * Gi, 3.0 * Gi, 5.0 * Gi),
            (samples["sched_node_capacity_memory_bytes{node=\"node1\"}"], samples["sched_node_allocatable_memory_bytes{node=\"node1\"}"],
                samples["sched_node_allocated_memory_bytes{node=\"node1\"}"], samples["sched_node_free_memory_bytes{node=\"node1\"}"]));
        Assert.Equal(2, samples["sched_node_shards{node=\"node1\"}"]);
    }

    [Fact]
    public async Task Shards_are_counted_by_state_over_all_jobs_and_per_job_only_in_the_states_they_are_in()
    {
        State.Update(
            [Job("a", JobStatus.Running, ShardStatus.Running, ShardStatus.Running, ShardStatus.Pending), Job("b", JobStatus.Complete, ShardStatus.Succeeded)],
            [],
            T0);

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(
            new Dictionary<string, double>
            {
                ["sched_job_shards{job_id=\"a\",state=\"pending\"}"] = 1,
                ["sched_job_shards{job_id=\"a\",state=\"running\"}"] = 2,
                ["sched_job_shards{job_id=\"b\",state=\"succeeded\"}"] = 1,
            },
            samples.Of("sched_job_shards"));
        Assert.Equal([1, 0, 2, 1, 0, 0, 0], ShardStates.Select(s => samples[$"sched_shards{{state=\"{s}\"}}"]));
        Assert.Equal([0, 1, 1, 0, 0], new[] { "pending", "running", "complete", "failed", "stopped" }.Select(s => samples[$"sched_jobs{{state=\"{s}\"}}"]));
    }

    [Fact]
    public async Task What_is_gone_from_the_scheduler_is_gone_from_the_next_scrape()
    {
        State.Update([Job("a", JobStatus.Running, ShardStatus.Running)], [Node("node1", NodeStatus.Up), Node("node2", NodeStatus.Up)], T0);
        State.Update([Job("a", JobStatus.Complete, ShardStatus.Succeeded)], [Node("node1", NodeStatus.Up)], T0.AddSeconds(15));

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(["sched_job_shards{job_id=\"a\",state=\"succeeded\"}"], samples.Of("sched_job_shards").Keys);
        Assert.Equal(["sched_node_free_cpu_cores{node=\"node1\"}"], samples.Of("sched_node_free_cpu_cores").Keys);
    }

    [Fact]
    public async Task A_finished_job_keeps_its_series_for_the_retention_after_it_was_first_seen_finished()
    {
        var finished = Job("a", JobStatus.Failed, ShardStatus.Failed, ShardStatus.Succeeded);
        State.Update([finished], [], T0);
        State.Update([finished], [], T0 + Retention - TimeSpan.FromSeconds(1));
        var before = (await Exposition.Samples(_registry)).Of("sched_job_shards");
        State.Update([finished], [], T0 + Retention);

        var after = await Exposition.Samples(_registry);
        Assert.Equal(2, before.Count);
        Assert.Empty(after.Of("sched_job_shards"));
        Assert.Equal(1, after["sched_shards{state=\"failed\"}"]);
        Assert.Equal(1, after["sched_jobs{state=\"failed\"}"]);
    }

    [Fact]
    public async Task When_the_scheduler_does_not_answer_no_state_is_exported_and_reachable_is_0()
    {
        State.Update([Job("a", JobStatus.Running, ShardStatus.Running)], [Node("node1", NodeStatus.Up)], T0);
        State.SchedulerUnreachable();

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(new Dictionary<string, double> { ["sched_scheduler_reachable"] = 0 }, samples);
    }

    /// <summary>A figure, with a bound only a pathology would break: the state part of one scrape of a large cluster.</summary>
    [Fact]
    public async Task A_scrape_of_a_thousand_jobs_of_ten_shards_on_twenty_nodes_stays_cheap()
    {
        var jobs = Enumerable.Range(1, 1000)
            .Select(i => Job($"job-{i:D4}", JobStatus.Running, [.. Enumerable.Range(0, 10).Select(s => s % 3 == 0 ? ShardStatus.Pending : ShardStatus.Running)]))
            .ToImmutableArray();
        var nodes = Enumerable.Range(1, 20).Select(i => Node($"node{i}", NodeStatus.Up)).ToImmutableArray();
        State.Update(jobs, nodes, T0);
        await Exposition.Text(_registry);

        var clock = Stopwatch.StartNew();
        const int Rounds = 20;
        var bytes = 0;
        for (var i = 0; i < Rounds; i++)
        {
            State.Update(jobs, nodes, T0);
            bytes = (await Exposition.Text(_registry)).Length;
        }

        var perScrape = clock.Elapsed / Rounds;
        output.WriteLine($"state gauges for 1000 jobs x 10 shards, 20 nodes: {perScrape.TotalMilliseconds:0.0} ms and {bytes / 1024} KiB per scrape");
        Assert.Equal(2000, (await Exposition.Samples(_registry)).Of("sched_job_shards").Count);
        Assert.True(perScrape < TimeSpan.FromSeconds(1), $"{perScrape.TotalMilliseconds} ms per scrape");
    }

    private static readonly string[] ShardStates = ["pending", "placed", "running", "succeeded", "failed", "lost", "stopped"];

    private static NodeView Node(string name, NodeStatus status, int allocatedMilliCpus = 0, long allocatedMemory = 0) =>
        new(name, status, null, new NodeCapacity(4500, 8 * Gi + (512 * Mi)), new NodeCapacity(4000, 8 * Gi),
            new NodeCapacity(allocatedMilliCpus, allocatedMemory), ImmutableSortedDictionary<string, string>.Empty, 2);

    private static JobView Job(string id, JobStatus status, params ShardStatus[] shards) =>
        new(id, Spec(shards: shards.Length), status, null, T0,
            shards.Select((s, i) => ShardRecord.New(i + 1) with { Status = s, Attempt = 1, Node = "node1" }).ToImmutableArray());
}
