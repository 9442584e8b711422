using System.Globalization;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Cli;

/// <summary>
/// The table `sched run` ends a finished batch job with: each shard's node, attempts, how long its last attempt ran and
/// its exit code; then the job's wall time, from its submission to its last shard's end, by the scheduler's clock.
/// </summary>
internal static class RunSummary
{
    public static void Print(JobDto job, TextWriter output)
    {
        var table = new TextTable("SHARD", "NODE", "ATTEMPTS", "TOOK", "EXIT", "STATE");
        foreach (var shard in job.Shards)
        {
            var last = shard.History is { Count: > 0 } history ? history[^1] : null;
            table.Add(shard.Shard, shard.Node, shard.Attempt - shard.RerunAfter, Seconds(last?.Took), shard.ExitCode, Text.Of(shard.Status));
        }

        table.WriteTo(output);
        var ended = job.Shards.SelectMany(s => s.History ?? []).Max(a => a.EndedAt);
        if (ended is { } end)
        {
            output.WriteLine($"wall time {Seconds(end - job.SubmittedAt)} from submission to the last shard's end");
        }
    }

    private static string? Seconds(TimeSpan? span) =>
        span is { } s ? s.TotalSeconds.ToString(s.TotalSeconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + "s" : null;
}
