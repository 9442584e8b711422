using System.Text.Json.Nodes;
using Sched.Contracts.Messages;
using Sched.Scheduler.Cli;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Cli;

/// <summary>`sched status` of a periodic job: its schedule, its next run, and only its own runs.</summary>
public sealed class PeriodicJobStatusSpecs
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    private static readonly JsonObject Manifest = new()
    {
        ["shards"] = 1,
        ["schedule"] = "0 3 * * *",
        ["timeZone"] = "Europe/Berlin",
        ["resources"] = new JsonObject { ["memory"] = "64Mi", ["cpus"] = 0.25 },
    };

    private static JobDto Job(string id, JobStatus status, string? runOf = null, PeriodicRunsDto? runs = null) =>
        new(id, "nightly", "nightly:1", status, runs is null ? null : "next run at 2026-12-05 02:00:00 UTC; latest run nightly-4a5b6c", Submitted,
            new ShardCountsDto(1, 0, 0, 0, status == JobStatus.Complete ? 1 : 0, 0, 0), [], Manifest, runs, runOf);

    [Fact]
    public void Shows_the_schedule_the_next_run_and_only_the_runs_it_started()
    {
        var periodic = Job("nightly-1c2d3e", JobStatus.Scheduled, runs: new PeriodicRunsDto(Submitted.AddDays(2), Submitted.AddDays(1), "nightly-4a5b6c"));
        var all = new[] { periodic, Job("nightly-4a5b6c", JobStatus.Complete, runOf: periodic.Id), Job("other-0a0b0c", JobStatus.Complete) };
        var output = new StringWriter();

        PeriodicJobStatus.Print(periodic, all, output);

        var text = output.ToString();
        Assert.Contains("state     scheduled (next run at 2026-12-05 02:00:00 UTC; latest run nightly-4a5b6c)", text, StringComparison.Ordinal);
        Assert.Contains("schedule  '0 3 * * *' (Europe/Berlin); an occurrence is skipped while the previous run runs", text, StringComparison.Ordinal);
        Assert.Contains("each run  1 shard, memory 64Mi, cpus 0.25 per shard", text, StringComparison.Ordinal);
        Assert.Contains("nightly-4a5b6c  complete  1/1 done, 0 running", text, StringComparison.Ordinal);
        Assert.DoesNotContain("other-0a0b0c", text, StringComparison.Ordinal);
    }
}
