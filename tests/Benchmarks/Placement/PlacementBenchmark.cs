using System.Diagnostics;
using System.Globalization;
using Sched.Scheduler.Decisions.State;

namespace Sched.Benchmarks.Placement;

/// <summary>
/// Placement through the scheduler's own code path, in process: every 7-shard job is accepted, then the
/// scheduler's placement round runs exactly as SchedulerActor.PlacePending does (node registry snapshot of the
/// state, SchedulerDecisions.Place, the events and the offer applied to the state, NextRetry). Nothing is sent anywhere.
/// </summary>
public static class PlacementBenchmark
{
    private const int ShardsPerJob = 7;
    private static readonly int[] NodeCounts = [7, 100, 1000];

    /// <summary>All cells, or with <paramref name="only"/> (NODESxSHARDS, for a profiler) that one cell alone.</summary>
    public static IReadOnlyList<FigureRow> Run(bool quick, TextWriter output, string? only = null)
    {
        int[] shardCounts = quick ? [10, 1000] : [10, 1000, 100_000];
        int[] nodeCounts = NodeCounts;
        if (only?.Split('x') is [var n, var s])
        {
            nodeCounts = [int.Parse(n, CultureInfo.InvariantCulture)];
            shardCounts = [int.Parse(s, CultureInfo.InvariantCulture)];
        }

        var budget = TimeSpan.FromSeconds(quick ? 5 : 60);
        output.WriteLine($"placement: jobs of {ShardsPerJob} shards (16Mi, 0.01 cpu each), submitted one after another;");
        output.WriteLine("  each submission runs one placement round as SchedulerActor does; Odroid-like nodes, 3.5 cpus, 3Gi allocatable.");
        output.WriteLine($"  a node holds {SimulatedCluster.Capacity(1)} such shards; shards beyond the cluster's capacity stay pending and count as decisions.");
        output.WriteLine("  cost is CPU time of this process (placement thread and GC): this machine is shared, so wall time is shown beside it.");
        output.WriteLine($"  time budget {budget.TotalSeconds:0} s per cell: a cell that runs out reports the shards it reached.");
        // Warm-up: the JIT compiles hot methods again, optimized, only once calls have gone quiet for 100 ms and
        // counted 30; a second of work lets the tiers settle before anything is timed, as in a scheduler that runs for days.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(quick ? 1 : 3))
        {
            foreach (var nodes in NodeCounts)
            {
                Measure(nodes, 1000, budget);
            }
        }

        var cells = new List<Cell>();
        output.WriteLine();
        output.WriteLine($"  {"nodes",6} {"shards",8} {"cpu µs/shard",12} {"shards/cpu-s",12} {"wall µs/shard",13} {"placed",8} {"pending",8} {"alloc/shard",12} {"GCs 0/1/2",10} {"% snapshot/place/state",24}");
        foreach (var nodes in nodeCounts)
        {
            foreach (var shards in shardCounts)
            {
                var cell = Repeated(nodes, shards, budget);
                cells.Add(cell);
                output.WriteLine($"  {nodes,6} {cell.ShardsPerRun,8}{(cell.Truncated ? "*" : " ")}{cell.MicrosPerShard,11:0.0} {cell.ShardsPerSecond,12:0} {cell.WallMicrosPerShard,13:0.0} "
                    + $"{cell.Placed,8} {cell.Pending,8} {cell.AllocPerShard,10:0} B {cell.Gc,10} {cell.Split,24}");
            }
        }

        if (cells.Any(c => c.Truncated))
        {
            output.WriteLine("  * ran out of its time budget: the figure is over the shards reached.");
        }

        var big = cells.Where(c => c.Nodes == nodeCounts.Max()).MaxBy(c => c.Requested)!;
        var ratio = cells.Max(c => c.MicrosPerShard) / cells.Min(c => c.MicrosPerShard);
        var worst = cells.MaxBy(c => c.MicrosPerShard)!;
        var best = cells.MinBy(c => c.MicrosPerShard)!;
        output.WriteLine($"  cost per shard max/min: {ratio:0.0}x (max {worst.MicrosPerShard:0.0} µs at {worst.Nodes} nodes x {worst.Requested} shards, "
            + $"min {best.MicrosPerShard:0.0} µs at {best.Nodes} nodes x {best.Requested} shards)");
        return
        [
            new FigureRow($"placement, {big.Nodes} nodes, {big.ShardsPerRun} shards", $"{big.ShardsPerSecond:0} shards/cpu-s", ">= 20000 shards/s",
                big.ShardsPerSecond >= 20_000, "Nomad C1M: 3750 containers/s"),
            new FigureRow("placement cost/shard max/min", $"{ratio:0.0}x ({best.MicrosPerShard:0.0}-{worst.MicrosPerShard:0.0} µs)", "<= 2x",
                ratio <= 2, "-"),
        ];
    }

    /// <summary>
    /// Small cells take microseconds, below the resolution of the process's CPU clock: they are run again and
    /// again for at least a second, and the figure is the total over all runs.
    /// </summary>
    private static Cell Repeated(int nodes, int shards, TimeSpan budget)
    {
        var total = Measure(nodes, shards, budget);
        var runs = 1;
        while (total.Elapsed < TimeSpan.FromSeconds(1))
        {
            var next = Measure(nodes, shards, budget);
            total = next with
            {
                Shards = total.Shards + next.Shards,
                Elapsed = total.Elapsed + next.Elapsed,
                Cpu = total.Cpu + next.Cpu,
                AllocPerShard = (total.AllocPerShard * runs + next.AllocPerShard) / (runs + 1),
            };
            runs++;
        }

        return total with { Runs = runs };
    }

    private static Cell Measure(int nodes, int shards, TimeSpan budget)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var registry = SimulatedCluster.Registry(nodes, start);
        var state = SchedulerState.Empty;
        var gc = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var submitted = 0;
        var job = 0;
        long snapshotTicks = 0, placeTicks = 0, stateTicks = 0;
        while (submitted < shards && clock.Elapsed < budget)
        {
            var size = Math.Min(ShardsPerJob, shards - submitted);
            var now = start.AddMilliseconds(job);
            var t0 = Stopwatch.GetTimestamp();
            state = Apply(state, SchedulerDecisions.Accept($"bench-{job:x6}", SimulatedCluster.Job(size), now));
            var t1 = Stopwatch.GetTimestamp();
            var snapshot = registry.Snapshot(state, now);
            var t2 = Stopwatch.GetTimestamp();
            var round = SchedulerDecisions.Place(state, snapshot, now);
            var t3 = Stopwatch.GetTimestamp();
            state = state.Apply(round);
            _ = SchedulerDecisions.NextRetry(state, now);
            var t4 = Stopwatch.GetTimestamp();
            snapshotTicks += t2 - t1;
            placeTicks += t3 - t2;
            stateTicks += t1 - t0 + (t4 - t3);
            submitted += size;
            job++;
        }

        var elapsed = clock.Elapsed;
        var cpuTime = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var placed = state.Jobs.Values.Sum(j => j.Shards.Count(s => s.Node is not null));
        return new Cell(nodes, shards, submitted, elapsed, cpuTime, placed, submitted - placed, bytes / Math.Max(1, submitted),
            $"{GC.CollectionCount(0) - gc.Item1}/{GC.CollectionCount(1) - gc.Item2}/{GC.CollectionCount(2) - gc.Item3}",
            Split(snapshotTicks, placeTicks, stateTicks));
    }

    /// <summary>Where the time went, as shares of wall time: the registry's snapshot, the placer, the state's own work.</summary>
    private static string Split(long snapshot, long place, long state)
    {
        var total = Math.Max(1.0, snapshot + place + state);
        return $"{100 * snapshot / total:0}/{100 * place / total:0}/{100 * state / total:0}";
    }

    private static SchedulerState Apply(SchedulerState state, IEnumerable<ISchedulerEvent> events)
    {
        foreach (var evt in events)
        {
            state = state.Apply(evt);
        }

        return state;
    }

    private sealed record Cell(int Nodes, int Requested, int Shards, TimeSpan Elapsed, TimeSpan Cpu, int Placed, int Pending, long AllocPerShard, string Gc, string Split, int Runs = 1)
    {
        public bool Truncated => Shards < Requested * Runs;

        public int ShardsPerRun => Shards / Runs;

        /// <summary>CPU time of the process (this thread plus the GC's): on a shared machine wall time also counts other people's work.</summary>
        public double MicrosPerShard => Cpu.TotalMicroseconds / Math.Max(1, Shards);

        public double ShardsPerSecond => Shards / Math.Max(Cpu.TotalSeconds, 1e-6);

        public double WallMicrosPerShard => Elapsed.TotalMicroseconds / Math.Max(1, Shards);
    }
}
