namespace Sched.EndToEnd;

/// <summary>
/// Issue 18 acceptance 3: `sched rerun JOB` runs again only the shards that failed, as new attempts of the same job,
/// and `sched status JOB --attempts` shows the attempts of both runs.
/// </summary>
public sealed partial class LocalClusterSpecs
{
    [Fact]
    public async Task Rerun_runs_only_the_failed_shards_again_the_job_succeeds_and_the_attempts_of_both_runs_are_shown()
    {
        await OnlyTheInitialNodesAreUp();
        // Shards 2 and 5 fail the first time and leave a flag that lets them pass the next: the fix arrives between runs.
        var flags = Path.Combine(cluster.HostData, $"rerun-flags-{Guid.NewGuid():N}");
        Directory.CreateDirectory(flags);

        var run = await cluster.Sched(
            "run", "my-processor", "--name", "rerun", "--shards", "7", "--memory", "32Mi", "--cpus", "0.1", "--restart", "never",
            "-v", $"{flags}:/flags", "--", "sh", "-c", "case $SHARD in 2|5) test -f /flags/$SHARD && exit 0; touch /flags/$SHARD; exit 1;; esac");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            var rerun = await cluster.Sched("rerun", jobId);
            var status = await cluster.Sched("status", jobId, "--attempts");
            output.WriteLine(rerun.ToString());
            output.WriteLine(status.ToString());

            Assert.True(rerun.ExitCode == 0, rerun.ToString());
            Assert.Contains($"rerunning {jobId}: shards 2, 5", rerun.Stdout, StringComparison.Ordinal);
            var shards = await ShardsOf(jobId);
            Assert.All(shards, s => Assert.Equal("succeeded", s.GetProperty("status").GetString()));
            Assert.Equal([1, 2, 1, 1, 2, 1, 1], shards.Select(s => s.GetProperty("attempt").GetInt32()));

            var containers = (await ContainersByNode(jobId)).Values.SelectMany(c => c).ToList();
            Assert.Equal([2, 5], containers.Where(c => c.Attempt == 2).Select(c => c.Shard).Order());
            Assert.DoesNotContain(containers, c => c.Attempt > 2);

            var rows = status.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            foreach (var shard in new[] { "2", "5" })
            {
                var history = rows.Where(r => r.Length > 4 && r[0] == shard && r[1] is "1" or "2").ToList();
                Assert.True(history.Count == 2, status.ToString());
                Assert.Contains(history, r => r[1] == "1" && r.Contains("exited") && r.Contains("1"));
                Assert.Contains(history, r => r[1] == "2" && r[2] == "(rerun)" && r.Contains("succeeded"));
            }

            Assert.Equal(2, status.Stdout.Split("exit code 1 after 1 attempt").Length - 1);
            Assert.Single(rows, r => r.Length > 4 && r[0] == "3" && r[1] == "1");
        });
    }
}
