using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.EndToEnd.Failures;

public sealed partial class NodeFailureSpecs
{
    private const int LostStartShards = 3;

    /// <summary>
    /// Issue 15, acceptance 3. node2's agent alone is SIGKILLed (its podman service, store and guard untouched) and a
    /// job that may only run on node2 is submitted at once: the scheduler, whose failure detector needs seconds to
    /// notice, places its shards there and sends their starts to an agent that is gone. (Killing the whole node took
    /// longer than the failure detector here, so the scheduler saw node2 unreachable before the job came.) Then node2's agent starts again. The starts must reach it (sent again until
    /// acknowledged, or the attempts declared lost and placed again): the job completes, and in the stores every
    /// shard ran exactly once, never two containers of one shard at a sampled moment.
    /// </summary>
    [Fact]
    public async Task Starts_sent_to_an_agent_that_restarts_before_it_runs_them_still_run_each_shard_once_and_the_job_completes()
    {
        await cluster.EnsureUp();
        await using var sampler = new StoreSampler(cluster).Start();
        string? jobId = null;
        try
        {
            await cluster.KillAgent("node2");
            jobId = await SubmitOnlyOnNode2();
            var placed = await cluster.Job(jobId);
            Print($"placed while node2's agent was gone: {DescribeShards(placed)}");
            Assert.All(placed.GetProperty("shards").EnumerateArray(), s =>
                Assert.Equal(("placed", "node2", 1), (s.GetProperty("status").GetString(), s.GetProperty("node").GetString(), s.GetProperty("attempt").GetInt32())));

            await cluster.Start("node2");
            var id = jobId;
            await Wait.Until(async () => (await cluster.Job(id)).GetProperty("status").GetString() is "complete" or "failed",
                TimeSpan.FromSeconds(180), $"{jobId} finished after node2's agent came back",
                async () => $"{DescribeShards(await cluster.Job(id))}\n{cluster.MembershipEvents()}\n{cluster.LogTail("node1")}");

            var job = await cluster.Job(jobId);
            var containers = await cluster.ContainersOfJob(jobId);
            Print($"job {job.GetProperty("status").GetString()}: {DescribeShards(job)}");
            Print(string.Join("\n", containers.OrderBy(c => c.Shard).Select(c => $"{c.Node}:{c.Name} {c.State} exit {c.ExitCode}")));
            Print(string.Join("\n", cluster.LogLines("node1", "sending the start", "did not acknowledge", "starts sent again", "lost")));
            Print(sampler.Summary());
            Assert.Equal("complete", job.GetProperty("status").GetString());
            Assert.Equal(Enumerable.Range(1, LostStartShards), containers.Select(c => c.Shard).Order());
            Assert.All(containers, c => Assert.Equal(("node2", "exited", 0L), (c.Node, c.State, c.ExitCode)));
            Assert.True(sampler.WithDuplicates.Count == 0, sampler.DuplicateReport());
        }
        finally
        {
            await cluster.EnsureUp();
            await cluster.StopJob(jobId);
        }
    }

    /// <summary>Straight through the API: the CLI's start-up would give the cluster time to notice node2 is gone.</summary>
    private async Task<string> SubmitOnlyOnNode2()
    {
        var manifest = JsonSerializer.Serialize(new
        {
            name = "lost-start",
            image = "sched-test-busybox:latest",
            command = new[] { "sh", "-c", "sleep 2; echo done" },
            shards = LostStartShards,
            resources = new { memory = "16Mi", cpus = 0.1 },
            placement = new { constraints = new[] { "node == node2" } },
        });
        using var content = new StringContent(manifest, Encoding.UTF8, "application/json");
        using var response = await cluster.Http.PostAsync(new Uri($"{cluster.Address}/v1/jobs"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static string DescribeShards(JsonElement job) => string.Join(", ", job.GetProperty("shards").EnumerateArray().Select(s =>
        $"{s.GetProperty("shard").GetInt32()}:{s.GetProperty("status").GetString()}@{(s.TryGetProperty("node", out var n) ? n.GetString() : "-")}#{s.GetProperty("attempt").GetInt32()}"));
}
