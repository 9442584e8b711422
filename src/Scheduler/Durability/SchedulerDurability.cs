using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Durability;

/// <summary>
/// The scheduler singleton's link to durable, replicated state: where it recovers from and where every change goes.
/// Null in actor tests that run without a cluster.
/// </summary>
public sealed class SchedulerDurability(ActorSystem system, IActorRef localReplica)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    private readonly IActorRef _replicator = DistributedData.Get(system).Replicator;
    private readonly UniqueAddress _self = Cluster.Get(system).SelfUniqueAddress;

    /// <summary>Asks this node's replica what the scheduler must know before it recovers; a <see cref="StateReplica.RecoveryView"/> comes back.</summary>
    public void AskRecoveryView(IActorRef scheduler) => localReplica.Tell(StateReplica.RecoveryQuery.Instance, scheduler);

    /// <summary>Asks a majority of scheduler nodes for the jobs; the Get answer comes back.</summary>
    public void ReadReplicated(IActorRef scheduler) => _replicator.Tell(Dsl.Get(ReplicatedJobs.Key, new ReadMajority(ReadTimeout)), scheduler);

    /// <summary>The replicated jobs in a Get answer; empty when none were ever written or the majority did not answer.</summary>
    public static IEnumerable<JobSnapshot> JobsIn(IGetResponse response) =>
        response is GetSuccess success ? success.Get(ReplicatedJobs.Key).Values : [];

    /// <summary>Writes the jobs to a majority of scheduler nodes; the outcome comes back carrying <paramref name="context"/>.</summary>
    public void Replicate(IReadOnlyList<JobRecord> jobs, IActorRef scheduler, object? context = null)
    {
        var snapshots = jobs.Select(j => j.ToSnapshot()).ToList();
        _replicator.Tell(
            Dsl.Update(ReplicatedJobs.Key, LWWDictionary<string, JobSnapshot>.Empty, ReplicatedJobs.Majority, context,
                map => snapshots.Aggregate(map, (m, job) => m.With(_self, job))),
            scheduler);
    }

    /// <summary>
    /// Removes the jobs from the replicated map (a majority, not waited for: a removal the next scheduler misses
    /// only brings back a finished job that retention removes again). Each replica deletes them from its disk.
    /// </summary>
    public void Remove(IReadOnlyList<string> jobIds, IActorRef scheduler) =>
        _replicator.Tell(
            Dsl.Update(ReplicatedJobs.Key, LWWDictionary<string, JobSnapshot>.Empty, ReplicatedJobs.Majority, null,
                map => jobIds.Aggregate(map, (m, id) => m.Remove(_self, id))),
            scheduler);

    /// <summary>Writes the jobs to this node's disk now; <see cref="StateReplica.Saved"/> comes back.</summary>
    public void SaveLocally(IReadOnlyList<JobRecord> jobs, IActorRef scheduler) =>
        localReplica.Tell(new StateReplica.SaveNow(jobs.Select(j => j.ToSnapshot()).ToList()), scheduler);
}
