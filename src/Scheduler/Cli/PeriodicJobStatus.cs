using Sched.Scheduler.Http;

namespace Sched.Scheduler.Cli;

/// <summary>`sched status` of a periodic job: its schedule, when it runs next, and its runs the scheduler still keeps.</summary>
public static class PeriodicJobStatus
{
    public static void Print(JobDto job, IReadOnlyList<JobDto> all, TextWriter output)
    {
        var overlap = job.Manifest["allowOverlap"]?.GetValue<bool>() == true ? "runs may overlap" : "an occurrence is skipped while the previous run runs";
        output.WriteLine($"job       {job.Id}");
        output.WriteLine($"state     {Text.Of(job.Status)}{(job.Reason is null ? "" : $" ({job.Reason})")}");
        output.WriteLine($"image     {job.Image}");
        output.WriteLine($"schedule  '{job.Manifest["schedule"]}' ({job.Manifest["timeZone"]}); {overlap}");
        var shards = job.Manifest["shards"]?.GetValue<int>() ?? 1;
        output.WriteLine($"each run  {shards} shard{(shards == 1 ? "" : "s")}, memory {job.Manifest["resources"]?["memory"]}, cpus {job.Manifest["resources"]?["cpus"]} per shard");
        output.WriteLine();
        var runs = all.Where(j => j.RunOf == job.Id).OrderBy(j => j.SubmittedAt).ToList();
        if (runs.Count == 0)
        {
            output.WriteLine("no run yet (or none kept: finished runs leave with the retention limits)");
            return;
        }

        var table = new TextTable("RUN", "STATE", "SHARDS", "STARTED");
        foreach (var run in runs)
        {
            table.Add(run.Id, Text.Of(run.Status), $"{run.Counts.Succeeded}/{run.Counts.Total} done, {run.Counts.Running} running", JobsCommand.LocalTime(run.SubmittedAt));
        }

        table.WriteTo(output);
    }
}
