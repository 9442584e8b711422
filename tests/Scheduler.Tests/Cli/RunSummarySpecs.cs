using Sched.Contracts.Messages;
using Sched.Scheduler.Cli;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Cli;

/// <summary>The table `sched run` ends with: per shard node, attempts, how long the last one ran, exit; the job's wall time.</summary>
public sealed class RunSummarySpecs
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static ShardDto Shard(int shard, string node, int attempt, long exit, params AttemptRecord[] history) =>
        new(shard, exit == 0 ? ShardStatus.Succeeded : ShardStatus.Failed, attempt, node, null, exit, null, null, AttemptOutcome.Exited, null, history);

    [Fact]
    public void Each_shard_shows_its_attempts_and_how_long_its_last_one_ran_and_the_job_its_wall_time()
    {
        var job = new JobDto("proc-0a1b2c", "proc", "proc:1", JobStatus.Failed, null, Submitted, new ShardCountsDto(2, 0, 0, 0, 1, 1, 0),
        [
            Shard(1, "node1", 1, 0, new AttemptRecord(1, "node1", AttemptOutcome.Exited, 0, "succeeded", Submitted.AddSeconds(4.2), Submitted.AddSeconds(1))),
            Shard(2, "node2", 3, 2,
                new AttemptRecord(1, "node3", AttemptOutcome.Exited, 1, "exit code 1", Submitted.AddSeconds(3), Submitted.AddSeconds(1)),
                new AttemptRecord(2, "node3", AttemptOutcome.Exited, 1, "exit code 1", Submitted.AddSeconds(9), Submitted.AddSeconds(6)),
                new AttemptRecord(3, "node2", AttemptOutcome.Exited, 2, "exit code 2", Submitted.AddSeconds(75), Submitted.AddSeconds(12))),
        ], []);
        var output = new StringWriter();

        RunSummary.Print(job, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["SHARD", "NODE", "ATTEMPTS", "TOOK", "EXIT", "STATE"], lines[0]);
        Assert.Equal(["1", "node1", "1", "3.2s", "0", "succeeded"], lines[1]);
        Assert.Equal(["2", "node2", "3", "63s", "2", "failed"], lines[2]);
        Assert.Equal("wall time 75s from submission to the last shard's end", string.Join(' ', lines[3]));
    }

    [Fact]
    public void A_rerun_shard_counts_the_attempts_of_its_rerun()
    {
        var rerun = Shard(1, "node1", 3, 0) with { RerunAfter = 2 };
        var job = new JobDto("proc-0a1b2c", "proc", "proc:1", JobStatus.Complete, null, Submitted, new ShardCountsDto(1, 0, 0, 0, 1, 0, 0), [rerun], []);
        var output = new StringWriter();

        RunSummary.Print(job, output);

        Assert.Equal(["1", "node1", "1", "-", "0", "succeeded"], output.ToString().Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
