using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Durability;
using Sched.Scheduler.Http;
using Xunit.Abstractions;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Cluster;

/// <summary>
/// Weeks of jobs through a scheduler failover: 1,000 finished 7-shard jobs and 10 running ones on three scheduler
/// nodes (the documented setup), node1's agent stops, and node2 answers with every job as node1 last showed it.
/// In process, with fake engines: 7,000 real containers would not fit the suite's time.
/// </summary>
public sealed class ThousandJobFailoverSpecs(ITestOutputHelper output)
{
    private const int Finished = 1000;
    private const int Running = 10;

    [Fact]
    public async Task A_thousand_finished_and_ten_running_jobs_all_recover_on_failover_to_node2()
    {
        await using var cluster = new InProcessCluster();
        WriteFinishedJobs(cluster.DataDirOf("node1"), Finished);
        await cluster.Start("node1", seed: null, scheduler: true);
        await cluster.Start("node2", cluster.SeedOf("node1"), scheduler: true);
        await cluster.Start("node3", cluster.SeedOf("node1"), scheduler: true);
        using var node1 = cluster.ApiOf("node1");
        using var node2 = cluster.ApiOf("node2");
        await InProcessCluster.WaitUntil(async () => await TryJobs(node1) is { Count: Finished }, TimeSpan.FromSeconds(90), "node1 recovered the finished jobs from its disk");
        for (var i = 0; i < Running; i++)
        {
            using var created = await node1.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent(
                $"name: live-{i}\nimage: my-processor\nshards: 7\nresources:\n  memory: 32Mi\n  cpus: 0.05", Encoding.UTF8, "application/yaml"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        List<JobDto> before = [];
        await InProcessCluster.WaitUntil(
            async () => await TryJobs(node1) is { } jobs && (before = jobs).Count(j => j.Counts.Running == 7) == Running,
            TimeSpan.FromSeconds(90), "every shard of the running jobs runs");

        var clock = Stopwatch.StartNew();
        await cluster.Stop("node1");
        List<JobDto>? after = null;
        await InProcessCluster.WaitUntil(async () => (after = await TryJobs(node2)) is not null,
            TimeSpan.FromSeconds(120), "node2's scheduler answers");
        Assert.NotNull(after);
        output.WriteLine($"node2 listed {after.Count} jobs {clock.Elapsed.TotalSeconds:0.0} s after node1's agent stopped");

        Assert.Equal(Finished, after.Count(j => j.Status == JobStatus.Complete));
        Assert.Equal(Running, after.Count(j => j.Status == JobStatus.Running));
        Assert.Equal(Outline(before), Outline(after));
    }

    /// <summary>Each job's id, status and shards (status, attempt, node, container, exit code), one line per job.</summary>
    private static List<string> Outline(IEnumerable<JobDto> jobs) =>
    [
        .. jobs.OrderBy(j => j.Id, StringComparer.Ordinal).Select(j =>
            $"{j.Id} {j.Status}: " + string.Join(", ", j.Shards.Select(s => $"{s.Shard} {s.Status} #{s.Attempt} {s.Node} {s.ContainerId} {s.ExitCode}"))),
    ];

    /// <summary>The whole list, or null while the node answers with an error (the scheduler moving or recovering).</summary>
    private static async Task<List<JobDto>?> TryJobs(HttpClient api)
    {
        using var response = await api.GetAsync(new Uri("v1/jobs", UriKind.Relative));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<List<JobDto>>(ApiServer.Json) : null;
    }

    /// <summary>
    /// What weeks of use leave in node1's state file: finished 7-shard jobs, each run once on node1..node3 and exited
    /// 0 within the last hours; and the three scheduler nodes, so node1 recovers only once a majority of them is up.
    /// </summary>
    private static void WriteFinishedJobs(string dataDir, int count)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-12);
        var jobs = Enumerable.Range(0, count).Select(i => FinishedJob($"proc-{i:x6}", start.AddSeconds(30 * i))).ToList();
        using var store = JobStore.Open(dataDir);
        store.Save(jobs);
        store.SaveSchedulerNodes(["node1", "node2", "node3"]);
    }

    private static JobSnapshot FinishedJob(string id, DateTimeOffset at)
    {
        var state = SchedulerState.Empty.ApplyAll(SchedulerDecisions.Accept(id, Spec(shards: 7, restart: OnFailure(0)), at)).Placed(Nodes(3), at);
        state = Enumerable.Range(1, 7).Aggregate(state, (s, shard) => s.Started(Attempt(shard, 1, id)));
        state = Enumerable.Range(1, 7).Aggregate(state, (s, shard) => s.Ended(Attempt(shard, 1, id), 0, at.AddSeconds(20)));
        return state.Job(id)!.ToSnapshot();
    }
}
