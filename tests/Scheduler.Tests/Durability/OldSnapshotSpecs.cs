using Microsoft.Data.Sqlite;
using Sched.Contracts.Messages;
using Sched.Scheduler.Durability;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Durability;

/// <summary>State files written before the shard record was shared by state, snapshot and view must still load.</summary>
public sealed class OldSnapshotSpecs : IDisposable
{
    /// <summary>A job as the scheduler stored it then: shard 1 waits to retry after exit code 3, shard 2 runs. No outcome field yet.</summary>
    private const string StoredBeforeOutcomes = """
        {"id":"proc-00000a","version":5,"spec":{"name":"proc","image":"proc:latest","command":["/bin/process","--verbose"],"env":{},"shards":2,"type":"Batch","resources":{"memoryBytes":268435456,"milliCpus":500},"restart":{"mode":"OnFailure","attempts":3,"backoff":"00:00:02"},"placement":{"strategy":"Spread","constraints":[]}},"submittedAt":"2025-01-01T12:00:00+00:00","stopped":false,"shards":[{"shard":1,"status":"Pending","attempt":1,"exitCode":3,"reason":"exit code 3","retryAt":"2025-01-01T12:00:02+00:00","lastNode":"node1","losses":1},{"shard":2,"status":"Running","attempt":1,"node":"node2","containerId":"c-2-1","losses":0}]}
        """;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("sched-old-store-").FullName;

    [Fact]
    public void A_job_stored_before_shards_had_an_outcome_must_load_with_every_field_it_had()
    {
        JobStore.Open(_dataDir).Dispose();
        Store("proc-00000a", 5, StoredBeforeOutcomes);

        using var store = JobStore.Open(_dataDir);
        var job = Assert.Single(store.LoadAll()).ToRecord();

        Assert.Equal((JobId, 5L, "proc:latest", Spec().Resources, T0), (job.Id, job.Version, job.Spec.Image, job.Spec.Resources, job.SubmittedAt));
        Assert.Equal(new ShardRecord(1, ShardStatus.Pending, 1, null, null, 3, "exit code 3", T0 + Backoff, "node1", Losses: 1, Outcome: null), job.Shards[0]);
        Assert.Equal(new ShardRecord(2, ShardStatus.Running, 1, "node2", "c-2-1", null, null, null, null, Losses: 0, Outcome: null), job.Shards[1]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private void Store(string id, long version, string json)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "scheduler-state.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO jobs (id, version, snapshot) VALUES ($id, $version, $snapshot)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$snapshot", System.Text.Encoding.UTF8.GetBytes(json));
        command.ExecuteNonQuery();
    }
}
