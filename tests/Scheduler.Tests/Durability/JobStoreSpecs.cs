using Sched.Scheduler.Durability;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Durability;

public sealed class JobStoreSpecs : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("sched-store-").FullName;

    [Fact]
    public void A_job_read_back_after_a_reopen_must_be_its_newest_version_even_when_an_older_one_is_saved_later()
    {
        var submitted = Submitted(Spec(shards: 2)).Job(JobId)!;
        var placed = Submitted(Spec(shards: 2)).Placed(Nodes(2), T0).Job(JobId)!;
        Assert.True(placed.Version > submitted.Version);

        using (var store = JobStore.Open(_dataDir))
        {
            store.Save([placed.ToSnapshot()]);
            store.Save([submitted.ToSnapshot()]);
        }

        using var reopened = JobStore.Open(_dataDir);
        var job = Assert.Single(reopened.LoadAll());
        Assert.Equal(placed.Version, job.Version);
        Assert.All(job.Shards, s => Assert.NotNull(s.Node));
    }

    [Fact]
    public void The_scheduler_nodes_last_known_must_survive_a_reopen_and_a_new_list_must_replace_the_old()
    {
        using (var store = JobStore.Open(_dataDir))
        {
            Assert.Empty(store.LoadSchedulerNodes());
            store.SaveSchedulerNodes(["node1", "node2", "node3"]);
            store.SaveSchedulerNodes(["node1", "node2"]);
        }

        using var reopened = JobStore.Open(_dataDir);
        Assert.Equal(["node1", "node2"], reopened.LoadSchedulerNodes());
    }

    [Fact]
    public void A_file_that_is_not_a_database_must_be_refused_naming_it_and_left_as_it_was()
    {
        var path = Path.Combine(_dataDir, "scheduler-state.db");
        File.WriteAllText(path, "these are not the jobs you are looking for");

        var error = Assert.Throws<StateFileException>(() => JobStore.Open(_dataDir));

        Assert.Equal(path, error.StatePath);
        Assert.Contains($"mv {path} {path}.broken", error.Message, StringComparison.Ordinal);
        Assert.Equal("these are not the jobs you are looking for", File.ReadAllText(path));
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
