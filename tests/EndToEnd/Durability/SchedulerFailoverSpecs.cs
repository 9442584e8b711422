using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// Acceptance 2 and 3 of "Durable scheduler state and failover" on a real three-node cluster whose node1 and node2
/// are scheduler nodes (<see cref="FailoverCluster"/>). The order matters and is fixed: a full restart of the healthy
/// cluster, then the loss of node1, then (last) a full restart after that loss. A sampler reads every store every
/// 100 ms around each break: no shard may run twice.
/// </summary>
[Collection(FailoverClusterCollection.Name)]
[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]
public sealed partial class SchedulerFailoverSpecs(FailoverCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(180);

    private string Node1 => cluster.Address;

    private string Node2 => cluster.Node2Address;

    private HttpClient Http => cluster.Http;

    private static string[] AllNodes => [.. Cluster.InitialNodeNames];

    /// <summary>node2 really runs as a scheduler node with its own HTTP API: the later flags won over the script's defaults.</summary>
    private async Task AssertNode2IsAScheduler()
    {
        var lines = cluster.LogLines("node2", "started:");
        var started = lines.Count > 0 ? lines[^1] : "";
        Assert.Contains("scheduler", started.Split("roles ", 2).ElementAtOrDefault(1) ?? "", StringComparison.Ordinal);
        Assert.Contains($"http 127.0.0.1:{cluster.Node2HttpPort.ToString(CultureInfo.InvariantCulture)}", started, StringComparison.Ordinal);
        Assert.NotNull(await cluster.TryJobs(Node2));
    }

    private async Task<string> Submit(string address, string manifest) => await Submissions.MustCreate(Http, new Uri(address), manifest);

    private async Task Delete(string address, string jobId)
    {
        using var response = await Http.DeleteAsync(new Uri($"{address}/v1/jobs/{jobId}"));
        Assert.True(response.IsSuccessStatusCode, $"DELETE {jobId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Waits until the jobs, as <paramref name="address"/> lists them, satisfy the condition; returns them.</summary>
    private async Task<IReadOnlyList<JobOutcome>> WaitForJobs(string address, Func<IReadOnlyList<JobOutcome>, bool> condition, string what, TimeSpan? timeout = null)
    {
        IReadOnlyList<JobOutcome> jobs = [];
        await Wait.Until(
            async () => await cluster.TryJobs(address) is { } listed && condition(jobs = JobOutcome.All(listed)),
            timeout ?? Settle, what, () => Task.FromResult(string.Join("\n", jobs)));
        return jobs;
    }

    private static bool Is(IReadOnlyList<JobOutcome> jobs, string id, string status, int running = -1) =>
        jobs.FirstOrDefault(j => j.Id == id) is { } job && job.Status == status && (running < 0 || job.Shards.Count(s => s.Status == "running") == running);

    /// <summary>Job id → state, as `sched jobs` prints it (ID STATE SHARDS IMAGE SUBMITTED).</summary>
    private static Dictionary<string, string> ParseJobsTable(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 2)
            .ToDictionary(f => f[0], f => f[1]);

    /// <summary>Stops (SIGTERM, graceful) these nodes' agents at once, as an operator stopping the services; returns how long it took.</summary>
    private async Task<TimeSpan> StopAll(params string[] nodes)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(nodes.Select(n => cluster.Stop(n)));
        return clock.Elapsed;
    }

    /// <summary>
    /// Every node at once, as after a power cut: the others join once node1 (the seed) is up, and node1's scheduler
    /// may wait for node2 (a majority of the scheduler nodes it last knew). Returns when node1 and when all were up.
    /// </summary>
    private async Task<(TimeSpan Node1, TimeSpan All)> StartAll()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        async Task<TimeSpan> StartNode1()
        {
            await cluster.Start("node1");
            return clock.Elapsed;
        }

        var node1 = StartNode1();
        await Task.WhenAll(node1, cluster.Start("node2"), cluster.Start("node3"));
        return (await node1, clock.Elapsed);
    }

    private string RecoveryLines() => string.Join(" | ", AllNodes.SelectMany(n => cluster.LogLines(n, "scheduler recovered", "majority of scheduler nodes", "majority of the scheduler nodes", "scheduler nodes now", "downed before", "cannot be read")
        .Select(l => $"{n}: {l.Trim()}")));

    private static string NoDuplicates(StoreSampler sampler) =>
        sampler.WithDuplicates.Count == 0 ? "" : $"a shard ran twice:\n{sampler.DuplicateReport()}";
}
