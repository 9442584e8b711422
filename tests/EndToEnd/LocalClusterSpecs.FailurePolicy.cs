using System.Text.Json;

namespace Sched.EndToEnd;

/// <summary>
/// Batch failure policy on real podman (issue 18): failures no retry can mend end a shard at its first attempt with the
/// reason in words (acceptance 1 and 2), a job stops early past maxFailedShards, a parallel limit holds and scales while the
/// job runs (4), an attempt past its timeout is stopped (5).
/// </summary>
public sealed partial class LocalClusterSpecs
{
    [Fact]
    public async Task A_shard_exiting_with_a_fail_on_code_fails_after_one_attempt_and_the_other_six_succeed()
    {
        await OnlyTheInitialNodesAreUp();

        var run = await cluster.Sched(
            "run", "my-processor", "--name", "fail-on-two", "--shards", "7", "--memory", "32Mi", "--cpus", "0.1", "--fail-on", "2",
            "--backoff", "1s", "--", "sh", "-c", "test \"$SHARD\" != 3 || exit 2");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            var shards = await ShardsOf(jobId);
            var third = shards.Single(s => s.GetProperty("shard").GetInt32() == 3);
            Assert.Equal(("failed", 1, 2), (third.GetProperty("status").GetString(), third.GetProperty("attempt").GetInt32(), third.GetProperty("exitCode").GetInt64()));
            Assert.Equal("exit code 2 (restart.failOn) after 1 attempt", third.GetProperty("reason").GetString());
            Assert.All(shards.Where(s => s.GetProperty("shard").GetInt32() != 3), s => Assert.Equal("succeeded", s.GetProperty("status").GetString()));
            AssertEachShardRanOnce(await ContainersByNode(jobId), 7);
            Assert.Contains("exit code 2 (restart.failOn)", run.ToString(), StringComparison.Ordinal);
            // The summary sched run ends with: shard 3 on its node, 1 attempt, how long it ran, exit 2; the job's wall time.
            Assert.Matches(@"(?m)^3\s+node\d\s+1\s+\d+(\.\d)?s\s+2\s+failed\s*$", run.Stdout);
            Assert.Matches(@"(?m)^wall time \d+(\.\d)?s from submission to the last shard's end$", run.Stdout);
        });
    }

    [Fact]
    public async Task A_command_missing_from_the_image_fails_each_shard_after_one_attempt_with_a_one_line_reason()
    {
        await OnlyTheInitialNodesAreUp();

        var run = await cluster.Sched(
            "run", "my-processor", "--name", "no-such-command", "--shards", "3", "--memory", "32Mi", "--cpus", "0.1",
            "--backoff", "1s", "--", "no-such-command", "--flag");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            var shards = await ShardsOf(jobId);
            Assert.Equal(3, shards.Count);
            foreach (var shard in shards)
            {
                var reason = shard.GetProperty("reason").GetString()!;
                Assert.Equal(("failed", 1), (shard.GetProperty("status").GetString(), shard.GetProperty("attempt").GetInt32()));
                Assert.Matches("^start-failed: command \"no-such-command\" not found in image \\S*my-processor\\S* after 1 attempt$", reason);
            }

            Assert.Contains("command \"no-such-command\" not found in image", run.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Docker API responded", run.ToString(), StringComparison.Ordinal);
            output.WriteLine(run.ToString());
        });
    }

    [Fact]
    public async Task More_failed_shards_than_max_failed_stop_the_others_at_once_and_the_job_fails()
    {
        await OnlyTheInitialNodesAreUp();

        var run = await cluster.Sched(
            "run", "my-processor", "--name", "max-failed", "--shards", "6", "--memory", "32Mi", "--cpus", "0.1", "--max-failed", "1",
            "--restart", "never", "--", "sh", "-c", "case $SHARD in 2|3) exit 1;; esac; sleep 300");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            var shards = await ShardsOf(jobId);
            Assert.Equal(["failed", "failed"], shards.Where(s => s.GetProperty("shard").GetInt32() is 2 or 3).Select(s => s.GetProperty("status").GetString()));
            Assert.All(shards.Where(s => s.GetProperty("shard").GetInt32() is not (2 or 3)), s =>
                Assert.Equal(("stopped", "stopped: 2 shards failed, more than maxFailedShards 1"), (s.GetProperty("status").GetString(), s.GetProperty("reason").GetString())));
            await Wait.Until(async () => (await ContainersByNode(jobId)).Values.All(c => c.All(container => !container.Running)),
                Patience, "no container of the job runs any more", async () => Describe(await ContainersByNode(jobId)));
        });
    }

    [Fact]
    public async Task An_attempt_past_its_timeout_is_stopped_fails_as_timed_out_and_its_container_goes_with_its_log_kept()
    {
        await OnlyTheInitialNodesAreUp();

        var run = await cluster.Sched(
            "run", "my-processor", "--name", "timeout", "--memory", "32Mi", "--cpus", "0.1", "--timeout", "3s", "--restart", "never",
            "--", "sleep", "60");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            var shard = Assert.Single(await ShardsOf(jobId));
            Assert.Equal(("failed", "timed-out after 3s after 1 attempt"), (shard.GetProperty("status").GetString(), shard.GetProperty("reason").GetString()));
            Assert.Contains("timed-out after 3s", run.ToString(), StringComparison.Ordinal);
            // The node keeps the log of the attempt that hung, then removes its container.
            await Wait.Until(async () => (await ContainersByNode(jobId)).Values.All(c => c.Count == 0), Patience,
                "the timed-out container gone", async () => string.Join(", ", (await ContainersByNode(jobId)).Values.SelectMany(c => c).Select(c => $"{c.Name} {c.State}")));
            var logs = await cluster.Sched("logs", jobId, "--shard", "1");
            Assert.True(logs.ExitCode == 0 && logs.Stdout.Contains("sched: archived log of", StringComparison.Ordinal), logs.ToString());
        });
    }

    [Fact]
    public async Task A_job_past_its_deadline_has_its_running_shards_stopped_and_fails_saying_so()
    {
        await OnlyTheInitialNodesAreUp();

        var run = await cluster.Sched(
            "run", "my-processor", "--name", "deadline", "--shards", "3", "--memory", "32Mi", "--cpus", "0.1", "--deadline", "4s",
            "--", "sh", "-c", "test \"$SHARD\" = 1 || sleep 60");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("stopped: its deadline of 4s passed", run.Stdout, StringComparison.Ordinal);
            var shards = await ShardsOf(jobId);
            Assert.Equal(["succeeded", "stopped", "stopped"], shards.Select(s => s.GetProperty("status").GetString()));
            await Wait.Until(async () => (await ContainersByNode(jobId)).Values.SelectMany(c => c).All(c => !c.Running), Patience,
                "every container of the job stopped", async () => string.Join(", ", (await ContainersByNode(jobId)).Values.SelectMany(c => c).Select(c => $"{c.Name} {c.State}")));
        });
    }

    [Fact]
    public async Task Parallel_two_runs_never_more_than_two_shards_and_a_scale_to_four_lets_four_run()
    {
        await OnlyTheInitialNodesAreUp();
        var run = await cluster.Sched(
            "run", "my-processor", "--name", "parallel", "--shards", "6", "--memory", "32Mi", "--cpus", "0.1", "--parallel", "2",
            "--detach", "--", "sleep", "5");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        await StoppedAfterwards(jobId, async () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (mostBefore, mostAfter, exited) = (0, 0, 0);
            TimeSpan? scaledAt = null, fourAt = null;
            while (exited < 6 && clock.Elapsed < Patience)
            {
                var containers = (await ContainersByNode(jobId)).Values.SelectMany(c => c).ToList();
                var running = containers.Count(c => c.Running);
                exited = containers.Count(c => c.State == "exited");
                if (scaledAt is null)
                {
                    mostBefore = Math.Max(mostBefore, running);
                    if (running == 2)
                    {
                        var scale = await cluster.Sched("scale", jobId, "--parallel", "4");
                        Assert.True(scale.ExitCode == 0, scale.ToString());
                        scaledAt = clock.Elapsed;
                    }
                }
                else
                {
                    mostAfter = Math.Max(mostAfter, running);
                    fourAt ??= running == 4 ? clock.Elapsed : null;
                }

                await Task.Delay(100);
            }

            output.WriteLine($"at most {mostBefore} running before the scale, {mostAfter} after; four ran {(fourAt - scaledAt)?.TotalSeconds:0.0} s after it");
            Assert.Equal(6, exited);
            Assert.Equal(2, mostBefore);
            Assert.Equal(4, mostAfter);
            Assert.Contains("succeeded", (await cluster.Sched("status", jobId)).Stdout, StringComparison.Ordinal);
        });
    }

    private async Task<List<JsonElement>> ShardsOf(string jobId)
    {
        using var job = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(new Uri(cluster.Address), $"v1/jobs/{jobId}")));
        return [.. job.RootElement.GetProperty("shards").EnumerateArray().Select(s => s.Clone())];
    }
}
