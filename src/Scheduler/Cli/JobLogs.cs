using Sched.Contracts.Messages;

namespace Sched.Scheduler.Cli;

/// <summary>
/// Every shard's log of a job, each line prefixed [N]. Without follow, shard after shard. With follow, the lines of
/// all running shards interleave as they come, and each attempt that starts later (a shard placed, retried or rerun)
/// is followed from its start, until the job has ended and every stream with it.
/// </summary>
internal sealed class JobLogs(ApiClient api, TextWriter output, TextWriter errors)
{
    private static readonly TimeSpan LookForNewAttempts = TimeSpan.FromSeconds(1);

    public static string PathOf(string job, int shard, bool follow) =>
        $"v1/jobs/{Uri.EscapeDataString(job)}/shards/{shard}/logs?follow={(follow ? "true" : "false")}";

    public async Task PrintAsync(string jobId, bool follow, CancellationToken ct)
    {
        if (!follow)
        {
            foreach (var shard in (await api.JobAsync(jobId, ct)).Shards.Where(s => s.Attempt > 0))
            {
                await Stream(jobId, shard.Shard, false, ct);
            }

            return;
        }

        var followed = new Dictionary<(int Shard, int Attempt), Task>();
        while (true)
        {
            var job = await api.JobAsync(jobId, ct);
            foreach (var shard in job.Shards.Where(s => s.Attempt > 0 && !followed.ContainsKey((s.Shard, s.Attempt))))
            {
                followed[(shard.Shard, shard.Attempt)] = Stream(jobId, shard.Shard, true, ct);
            }

            if (job.Status is not (JobStatus.Pending or JobStatus.Running))
            {
                break;
            }

            await Task.Delay(LookForNewAttempts, ct);
        }

        await Task.WhenAll(followed.Values);
    }

    private async Task Stream(string jobId, int shard, bool follow, CancellationToken ct)
    {
        try
        {
            await api.StreamLinesAsync(PathOf(jobId, shard, follow), line =>
            {
                output.WriteLine($"[{shard}] {line}");
                return Task.CompletedTask;
            }, ct);
        }
        catch (CliException e)
        {
            errors.WriteLine($"[{shard}] sched: {e.Message}");
        }
    }
}
