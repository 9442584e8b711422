using System.Globalization;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Cli;

/// <summary>`sched status JOB --attempts`: each shard's attempts that ended, then the one that runs now.</summary>
internal static class AttemptHistory
{
    public static void Print(JobDto job, TextWriter output)
    {
        var table = new TextTable("SHARD", "ATTEMPT", "NODE", "ENDED", "OUTCOME", "EXIT", "REASON");
        foreach (var shard in job.Shards)
        {
            foreach (var attempt in shard.History ?? [])
            {
                table.Add(shard.Shard, Number(shard, attempt.Attempt), attempt.Node, Time(attempt.EndedAt),
                    attempt.Outcome is { } outcome ? Text.Of(outcome) : "stopped", attempt.ExitCode, attempt.Reason);
            }

            if (shard.Status is ShardStatus.Placed or ShardStatus.Running)
            {
                table.Add(shard.Shard, Number(shard, shard.Attempt), shard.Node, null, Text.Of(shard.Status), null, null);
            }
        }

        table.WriteTo(output);
    }

    /// <summary>The first attempt of a rerun says so: the restart policy counts from there.</summary>
    private static string Number(ShardDto shard, int attempt) =>
        shard.RerunAfter > 0 && attempt == shard.RerunAfter + 1 ? $"{attempt} (rerun)" : attempt.ToString(CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? at) =>
        at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
