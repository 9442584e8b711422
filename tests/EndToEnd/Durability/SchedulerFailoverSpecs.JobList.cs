using System.Text.Json;

namespace Sched.EndToEnd.Durability;

public sealed partial class SchedulerFailoverSpecs
{
    private const int HeavyJobs = 40;

    /// <summary>
    /// Weeks of jobs: a job list far larger than one cluster frame (Akka's 128,000 bytes), read at node2's API while the
    /// scheduler runs on node1, so the list crosses the cluster. It comes in pages that fit a frame; in one message it
    /// could not be sent at all and the request ran into its timeout. Runs first (by name): node1 holds the scheduler.
    /// </summary>
    [Fact]
    public async Task A_big_job_list_read_at_another_scheduler_node_crosses_the_cluster_in_pages_and_lists_every_job()
    {
        await cluster.EnsureUp();
        var ids = new List<string>();
        for (var i = 0; i < HeavyJobs; i++)
        {
            ids.Add(await Submit(Node1, HeavyWaiter($"heavy-list-{i}")));
        }

        try
        {
            var atNode2 = await cluster.Jobs(Node2);
            var listedBytes = atNode2.Sum(j => j.GetRawText().Length);
            output.WriteLine($"node2 listed {atNode2.Count} jobs, {listedBytes:N0} bytes of JSON, the scheduler's log: "
                + string.Join(" | ", cluster.LogLines("node2", "Singleton identified")));

            Assert.True(listedBytes > 2 * 128_000, $"the list is only {listedBytes} bytes: not more than a frame, it proves nothing");
            Assert.Empty(ids.Except(atNode2.Select(j => j.GetProperty("id").GetString())));
            Assert.Equal((await cluster.Jobs(Node1)).Select(j => j.GetProperty("id").GetString()), atNode2.Select(j => j.GetProperty("id").GetString()));
        }
        finally
        {
            foreach (var id in ids)
            {
                await Delete(Node1, id);
            }
        }
    }

    /// <summary>A job that stays pending (100Ti of memory) and carries 8 KB of environment, as a job with real settings may.</summary>
    private static string HeavyWaiter(string name) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = name,
            ["image"] = "sched-test-busybox",
            ["type"] = "batch",
            ["command"] = new[] { "true" },
            ["shards"] = 1,
            ["resources"] = new Dictionary<string, object> { ["memory"] = "100Ti", ["cpus"] = 0.01 },
            ["env"] = Enumerable.Range(0, 4).ToDictionary(i => $"SETTING_{i}", i => new string((char)('a' + i), 2000)),
        });
}
