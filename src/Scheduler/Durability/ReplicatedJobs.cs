using System.Collections.Immutable;
using Akka.Cluster;
using Akka.DistributedData;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Durability;

/// <summary>
/// The jobs as replicated maps across the scheduler-role nodes (Akka.DistributedData), each job in one of
/// <see cref="Buckets"/> maps by a stable hash of its id. One map of every job grew with each job kept: a full read
/// or gossip of it is one message, and weeks of jobs would pass the cluster's 128,000-byte frame; a bucket of
/// 1,000 jobs holds about 16 (14 KB of 7-shard jobs). The scheduler singleton is the only writer; each entry's
/// version is its clock, so the newest version of a job wins a merge.
/// </summary>
public static class ReplicatedJobs
{
    public const int Buckets = 64;

    public static readonly ImmutableArray<LWWDictionaryKey<string, JobSnapshot>> Keys =
        [.. Enumerable.Range(0, Buckets).Select(i => new LWWDictionaryKey<string, JobSnapshot>($"sched-jobs-{i:00}"))];

    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(3);

    private static readonly Clock<JobSnapshot> VersionClock = (_, job) => job.Version;

    /// <summary>The map that holds the job: the same on every node and in every process (string.GetHashCode is not).</summary>
    public static LWWDictionaryKey<string, JobSnapshot> KeyOf(string jobId)
    {
        var hash = 2166136261u;
        foreach (var c in jobId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return Keys[(int)(hash % Buckets)];
    }

    /// <summary>The items grouped by the map that holds each.</summary>
    public static IEnumerable<(LWWDictionaryKey<string, JobSnapshot> Key, List<T> Items)> ByKey<T>(IEnumerable<T> items, Func<T, string> jobId) =>
        items.GroupBy(item => KeyOf(jobId(item))).Select(g => (g.Key, g.ToList()));

    /// <summary>The jobs in a Get answer of one of the maps; empty when it was never written or did not answer.</summary>
    public static IEnumerable<JobSnapshot> JobsIn(IGetResponse response) =>
        response is GetSuccess { Data: LWWDictionary<string, JobSnapshot> map } ? map.Values : [];

    public static LWWDictionary<string, JobSnapshot> With(this LWWDictionary<string, JobSnapshot> map, UniqueAddress node, JobSnapshot job) =>
        map.TryGetValue(job.Id, out var current) && current.Version >= job.Version
            ? map
            : map.SetItem(node, job.Id, job, VersionClock);

    public static IWriteConsistency Majority => new WriteMajority(WriteTimeout);
}
