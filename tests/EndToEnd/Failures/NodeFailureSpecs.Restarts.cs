namespace Sched.EndToEnd.Failures;

public sealed partial class NodeFailureSpecs
{
    /// <summary>
    /// attempts: 2 means two restarts after the first run. The backoff is 2 s so that the second delay, 4 s, is longer
    /// than the first by clearly more than what noticing an exit and starting a container vary on a loaded machine
    /// (measured here: 1.3 to 2.6 s between one attempt's exit and the next one's start, besides the backoff).
    /// </summary>
    [Fact]
    public async Task A_shard_exiting_1_is_retried_with_growing_delays_and_fails_the_job_after_3_attempts_with_exit_code_1()
    {
        await cluster.EnsureUp();
        var manifest = Path.Combine(cluster.Root, "exit-one.yaml");
        await File.WriteAllTextAsync(manifest, """
            name: exit-one
            image: sched-test-busybox:latest
            command: ["sh", "-c", "exit 1"]
            resources: { memory: 16Mi, cpus: 0.1 }
            restart: { policy: on-failure, attempts: 2, backoff: 2s }

            """);

        var submit = await cluster.Sched("submit", manifest);

        var jobId = JobIdOf(submit);
        try
        {
            Print(submit.Stdout);
            Assert.True(submit.ExitCode == 1, submit.ToString());
            var attempts = (await cluster.ContainersOfJob(jobId)).OrderBy(c => c.Attempt).ToList();
            foreach (var c in attempts)
            {
                Print($"{c.Name} on {c.Node}: started {c.StartedAt:HH:mm:ss.fff}, finished {c.FinishedAt:HH:mm:ss.fff}, exit {c.ExitCode}");
            }

            Assert.Equal([$"sched-{jobId}-1-1", $"sched-{jobId}-1-2", $"sched-{jobId}-1-3"], attempts.Select(c => c.Name));
            Assert.All(attempts, c => Assert.Equal((1L, "exited"), (c.ExitCode, c.State)));
            var first = attempts[1].StartedAt - attempts[0].StartedAt;
            var second = attempts[2].StartedAt - attempts[1].StartedAt;
            Print($"gaps between starts: {F(first.TotalSeconds)} s, then {F(second.TotalSeconds)} s (backoff 2 s, then 4 s, each ±10 %)");
            Assert.True(first >= TimeSpan.FromSeconds(1.8), $"first gap {first}");
            Assert.True(second >= TimeSpan.FromSeconds(3.6), $"second gap {second}");
            Assert.True(second > first, $"the gaps do not grow: {first}, then {second}");

            var status = await cluster.Sched("status", jobId);
            Print(status.Stdout);
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Matches(@"(?m)^state\s+failed", status.Stdout);
            Assert.Matches(@"(?m)^1\s+node\d\s+failed\s+3\s+1\s+exit code 1 after 3 attempts\s*$", status.Stdout);
        }
        finally
        {
            await cluster.StopJob(jobId);
        }
    }

    /// <summary>busybox `tail` keeps a line in memory until it ends, and /dev/zero has no line ends: it grows until the limit.</summary>
    [Fact]
    public async Task A_shard_allocating_past_its_memory_limit_is_reported_oom_killed()
    {
        await cluster.EnsureUp();

        var run = await cluster.Sched("run", "sched-test-busybox", "--memory", "16Mi", "--cpus", "0.5", "--restart", "never",
            "--", "sh", "-c", "head -c 100m /dev/zero | tail");

        var jobId = JobIdOf(run);
        try
        {
            Print(run.Stdout);
            Assert.True(run.ExitCode == 1, run.ToString());
            var container = Assert.Single(await cluster.ContainersOfJob(jobId));
            Assert.Equal(137, container.ExitCode);
            var status = await cluster.Sched("status", jobId);
            Print(status.Stdout);
            Assert.Matches(@"(?m)^1\s+node\d\s+failed\s+1\s+137\s+oom-killed \(memory limit 16Mi\) after 1 attempt\s*$", status.Stdout);
        }
        finally
        {
            await cluster.StopJob(jobId);
        }
    }
}
