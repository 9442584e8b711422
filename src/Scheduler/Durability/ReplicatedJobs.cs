using Akka.Cluster;
using Akka.DistributedData;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Durability;

/// <summary>
/// The jobs as one replicated map across the scheduler-role nodes (Akka.DistributedData). The scheduler
/// singleton is its only writer; each entry's version is its clock, so the newest version of a job wins a merge.
/// </summary>
public static class ReplicatedJobs
{
    public static readonly LWWDictionaryKey<string, JobSnapshot> Key = new("sched-jobs");

    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(3);

    private static readonly Clock<JobSnapshot> VersionClock = (_, job) => job.Version;

    public static LWWDictionary<string, JobSnapshot> With(this LWWDictionary<string, JobSnapshot> map, UniqueAddress node, JobSnapshot job) =>
        map.TryGetValue(job.Id, out var current) && current.Version >= job.Version
            ? map
            : map.SetItem(node, job.Id, job, VersionClock);

    public static IWriteConsistency Majority => new WriteMajority(WriteTimeout);
}
