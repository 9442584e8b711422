using System.Globalization;

namespace Sched.EndToEnd.Failures;

public sealed partial class NodeFailureSpecs
{
    /// <summary>A loose bound: the machines are loaded. The figure itself is printed, and tests/Benchmarks/run.sh reports it.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Power loss of node3 (agent, podman service and containers SIGKILLed) under a 6-shard service job: the time
    /// from the kill until node1's and node2's stores run all 6 shards, over 5 runs (SCHED_BENCH_RUNS overrides;
    /// with SCHED_BENCH_RESULTS the figures are also written to that file, for tests/Benchmarks/run.sh).
    /// Each run starts node3 again and submits a fresh job.
    /// </summary>
    [Fact]
    public async Task Shards_of_a_killed_node_run_again_on_the_survivors_and_never_twice()
    {
        var runs = int.TryParse(Environment.GetEnvironmentVariable("SCHED_BENCH_RUNS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5;
        var recoveries = new List<double>();
        var duplicates = 0;
        var samples = 0;
        for (var run = 1; run <= runs; run++)
        {
            await cluster.EnsureUp();
            var jobId = await cluster.RunService(6);
            try
            {
                var perNode = await cluster.WaitAllRunning(jobId, 6);
                Assert.True(perNode["node3"] > 0, $"run {run}: nothing of {jobId} on node3 to lose: {Cluster.Describe(perNode)}");
                await using var sampler = new StoreSampler(cluster).Start();
                await sampler.WaitFor(s => s.Answered([.. Cluster.InitialNodeNames]) && s.ShardsRunning(jobId, [.. Cluster.InitialNodeNames]) == 6,
                    TimeSpan.Zero, TimeSpan.FromSeconds(30), "a first sample of every store");

                var killedAt = sampler.Clock.Elapsed;
                await cluster.Kill("node3", containers: true);
                var killReturned = sampler.Clock.Elapsed - killedAt;
                var recovered = await sampler.WaitFor(
                    s => s.Answered("node1", "node2") && s.ShardsRunning(jobId, "node1", "node2") == 6
                        && s.ContainersRunning(jobId, "node1") + s.ContainersRunning(jobId, "node2") == 6,
                    killedAt, TimeSpan.FromSeconds(120), $"run {run}: all 6 shards of {jobId} running on node1 and node2");
                await sampler.Keep(TimeSpan.FromSeconds(2));

                var seconds = Seconds(recovered.Finished - killedAt);
                recoveries.Add(seconds);
                duplicates += sampler.WithDuplicates.Count;
                samples += sampler.Samples.Count;
                Print($"run {run}: {Cluster.Describe(perNode)} before; kill took {F(killReturned.TotalSeconds)} s; "
                    + $"6 running on node1+node2 after {F(seconds)} s (sample {F((recovered.Started - killedAt).TotalSeconds)}-{F(seconds)} s); "
                    + sampler.Summary());
                if (sampler.WithDuplicates.Count > 0)
                {
                    Print(sampler.DuplicateReport());
                }
            }
            finally
            {
                await cluster.StopJob(jobId);
            }
        }

        var median = Median(recoveries);
        Print($"recovery after node loss: {string.Join(", ", recoveries.Select(F))} s; median {F(median)} s over {runs} runs; "
            + $"{duplicates} samples of {samples} with a shard running twice");
        Print(cluster.MembershipEvents());
        await WriteBenchmarkResults(recoveries, median, duplicates, samples);
        Assert.True(duplicates == 0, $"{duplicates} samples saw a shard running twice");
        Assert.True(median <= RecoveryBound.TotalSeconds, $"median recovery {median} s exceeds {RecoveryBound.TotalSeconds} s");
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task WriteBenchmarkResults(IReadOnlyList<double> recoveries, double median, int duplicates, int samples)
    {
        if (Environment.GetEnvironmentVariable("SCHED_BENCH_RESULTS") is not { Length: > 0 } path)
        {
            return;
        }

        await File.WriteAllLinesAsync(path,
        [
            $"runs={recoveries.Count}",
            $"recovery_seconds={string.Join(' ', recoveries.Select(F))}",
            $"recovery_median_seconds={F(median)}",
            $"duplicate_samples={duplicates}",
            $"samples={samples}",
        ]);
    }
}
