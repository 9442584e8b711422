using System.Diagnostics;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Cli;

/// <summary>
/// Follows a job until it is done (batch) or every shard runs (service), printing each shard's
/// changes as they happen. Returns the exit status of `sched run`: 0 only if the job succeeded.
/// </summary>
public sealed class JobWatcher(ApiClient api, TextWriter output, TimeSpan pollInterval)
{
    private readonly Dictionary<int, (ShardStatus Status, int Attempt, string? Waiting)> _seen = [];

    public async Task<int> FollowAsync(JobDto job, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (job.Runs is not null)
        {
            output.WriteLine($"job {job.Id}: runs {job.Image} on schedule '{job.Manifest["schedule"]}' ({job.Manifest["timeZone"]}), each run a job of its own; {job.Reason}");
            output.WriteLine($"  its runs: `sched jobs`; stop it: `sched stop {job.Id}`");
            return 0;
        }

        output.WriteLine($"job {job.Id}: {job.Counts.Total} shard{(job.Counts.Total == 1 ? "" : "s")} of {job.Image}");
        var last = "";
        while (true)
        {
            ReportShards(job);
            var summary = Summary(job);
            if (summary != last)
            {
                output.WriteLine($"  [{summary}]");
                last = summary;
            }

            if (IsSettled(job))
            {
                return Finish(job, clock.Elapsed);
            }

            await Task.Delay(pollInterval, ct);
            job = await api.JobAsync(job.Id, ct);
        }
    }

    private static bool IsSettled(JobDto job) =>
        job.Status is JobStatus.Complete or JobStatus.Failed or JobStatus.Stopped or JobStatus.Cancelled
        || (job.Manifest["type"]?.GetValue<string>() == "service" && job.Counts.Running == job.Counts.Total);

    private void ReportShards(JobDto job)
    {
        foreach (var shard in job.Shards)
        {
            // A pending shard says why it waits once, when a reason first comes: a reason that counts free memory changes often.
            var now = (shard.Status, shard.Attempt, shard.Status == ShardStatus.Placed ? shard.Reason : shard.Status == ShardStatus.Pending && shard.Reason is not null ? "waits" : null);
            if (_seen.TryGetValue(shard.Shard, out var before) && before == now)
            {
                continue;
            }

            _seen[shard.Shard] = now;
            var line = Describe(shard, job.Counts.Total);
            if (line is not null)
            {
                output.WriteLine(line);
            }
        }
    }

    private static string? Describe(ShardDto shard, int total)
    {
        var name = $"  shard {shard.Shard}/{total}";
        var attempt = shard.Attempt > 1 ? $" (attempt {shard.Attempt})" : "";
        return shard.Status switch
        {
            ShardStatus.Pending when shard.Outcome is AttemptOutcome.Exited or AttemptOutcome.OomKilled or AttemptOutcome.StartFailed =>
                $"{name} attempt {shard.Attempt} on {shard.Node} ended: {shard.Reason}; retrying at {shard.RetryAt:HH:mm:ss}",
            ShardStatus.Pending when shard.Reason is not null => $"{name} pending: {shard.Reason}",
            ShardStatus.Pending => null,
            ShardStatus.Placed when shard.Reason is not null => $"{name} placed on {shard.Node}{attempt}: {shard.Reason}",
            ShardStatus.Placed => $"{name} placed on {shard.Node}{attempt}",
            ShardStatus.Running => $"{name} running on {shard.Node}{attempt}",
            ShardStatus.Succeeded => $"{name} succeeded on {shard.Node}{attempt}",
            ShardStatus.Failed => $"{name} FAILED on {shard.Node}: {shard.Reason}",
            ShardStatus.Stopped when shard.Reason is not null => $"{name} stopped: {shard.Reason}",
            _ => $"{name} {shard.Status.ToString().ToLowerInvariant()}",
        };
    }

    private static string Summary(JobDto job)
    {
        var c = job.Counts;
        var parts = new List<string>();
        void Add(int count, string what)
        {
            if (count > 0)
            {
                parts.Add($"{count} {what}");
            }
        }

        Add(c.Pending, "pending");
        Add(c.Placed, "placed");
        Add(c.Running, "running");
        Add(c.Succeeded, "succeeded");
        Add(c.Failed, "failed");
        Add(c.Stopped, "stopped");
        return string.Join(", ", parts);
    }

    private int Finish(JobDto job, TimeSpan elapsed)
    {
        var took = $"{elapsed.TotalSeconds:0.0}s";
        if (job.Status is JobStatus.Complete or JobStatus.Failed)
        {
            RunSummary.Print(job, output);
        }

        switch (job.Status)
        {
            case JobStatus.Complete:
                output.WriteLine($"job {job.Id} complete: {job.Counts.Succeeded}/{job.Counts.Total} shards succeeded in {took}");
                return 0;
            case JobStatus.Running:
                output.WriteLine($"job {job.Id} running: {job.Counts.Running}/{job.Counts.Total} shards up after {took}");
                return 0;
            case JobStatus.Failed when job.Counts.Failed == 0:
                output.WriteLine($"job {job.Id} failed: {job.Reason}");
                return 1;
            case JobStatus.Failed:
                foreach (var shard in job.Shards.Where(s => s.Status == ShardStatus.Failed))
                {
                    output.WriteLine($"shard {shard.Shard} failed on {shard.Node}: {shard.Reason}");
                }

                output.WriteLine($"job {job.Id} failed: {job.Counts.Failed} of {job.Counts.Total} shards failed (see `sched status {job.Id}`)");
                return 1;
            case JobStatus.Cancelled:
                output.WriteLine($"job {job.Id} {job.Reason}");
                return 1;
            default:
                output.WriteLine($"job {job.Id} {job.Status.ToString().ToLowerInvariant()}");
                return 1;
        }
    }
}
