namespace Sched.EndToEnd;

/// <summary>
/// Issue 18 acceptance 6: `sched run --after A` starts only once A succeeded, as the podman stores' own start and
/// finish times show; with A failing it is cancelled and starts no container.
/// </summary>
public sealed partial class LocalClusterSpecs
{
    [Fact]
    public async Task A_job_after_another_starts_only_once_that_one_succeeded_and_is_cancelled_when_it_fails()
    {
        await OnlyTheInitialNodesAreUp();

        var first = SchedOutput.JobIdOf(await cluster.Sched(
            "run", "my-processor", "--name", "first", "--shards", "2", "--memory", "32Mi", "--cpus", "0.1", "--detach", "--", "sleep", "3"));
        var then = await cluster.Sched(
            "run", "my-processor", "--name", "then", "--shards", "2", "--memory", "32Mi", "--cpus", "0.1", "--after", first, "--", "true");
        var failing = SchedOutput.JobIdOf(await cluster.Sched(
            "run", "my-processor", "--name", "failing", "--memory", "32Mi", "--cpus", "0.1", "--restart", "never", "--detach", "--", "sh", "-c", "sleep 1; exit 3"));
        var cancelled = await cluster.Sched(
            "run", "my-processor", "--name", "never", "--memory", "32Mi", "--cpus", "0.1", "--after", failing, "--", "true");

        var thenId = SchedOutput.JobIdOf(then);
        var cancelledId = SchedOutput.JobIdOf(cancelled);
        await StoppedAfterwards(first, () => StoppedAfterwards(thenId, () => StoppedAfterwards(failing, () => StoppedAfterwards(cancelledId, async () =>
        {
            output.WriteLine(then.ToString());
            output.WriteLine(cancelled.ToString());
            Assert.True(then.ExitCode == 0, then.ToString());
            Assert.Contains($"pending: waits for job {first} to succeed", then.Stdout, StringComparison.Ordinal);
            var firstEnded = (await ContainersByNode(first)).Values.SelectMany(c => c).Max(c => c.FinishedAt);
            var thenStarted = (await ContainersByNode(thenId)).Values.SelectMany(c => c).Min(c => c.StartedAt);
            Assert.True(thenStarted >= firstEnded, $"{thenId} started at {thenStarted:HH:mm:ss.fff}, before {first} ended at {firstEnded:HH:mm:ss.fff}");

            Assert.True(cancelled.ExitCode == 1, cancelled.ToString());
            Assert.Contains($"cancelled: job {failing}, which it runs after, failed", cancelled.Stdout, StringComparison.Ordinal);
            var status = await cluster.Sched("status", cancelledId);
            Assert.Contains($"state    cancelled (cancelled: job {failing}, which it runs after, failed)", status.Stdout, StringComparison.Ordinal);
            Assert.Empty((await ContainersByNode(cancelledId)).Values.SelectMany(c => c));
        }))));
    }
}
