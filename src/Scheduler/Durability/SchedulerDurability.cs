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

    /// <summary>Asks a majority of scheduler nodes for the jobs; one Get answer per map of <see cref="ReplicatedJobs.Keys"/> comes back.</summary>
    public void ReadReplicated(IActorRef scheduler)
    {
        foreach (var key in ReplicatedJobs.Keys)
        {
            _replicator.Tell(Dsl.Get(key, new ReadMajority(ReadTimeout)), scheduler);
        }
    }

    /// <summary>Reads one map from this node's replica alone, after a majority did not answer for it.</summary>
    public void ReadLocally(IKey key, IActorRef scheduler) =>
        _replicator.Tell(Dsl.Get(ReplicatedJobs.Keys.Single(k => k.Id == key.Id), ReadLocal.Instance), scheduler);

    /// <summary>
    /// Writes the jobs to a majority of scheduler nodes, one update per map; the outcome of each comes back carrying
    /// the <paramref name="context"/> of the ids it wrote.
    /// </summary>
    public void Replicate(IReadOnlyList<JobRecord> jobs, IActorRef scheduler, Func<IReadOnlyList<string>, object> context)
    {
        foreach (var (key, batch) in ReplicatedJobs.ByKey(jobs.Select(j => j.ToSnapshot()), s => s.Id))
        {
            _replicator.Tell(
                Dsl.Update(key, LWWDictionary<string, JobSnapshot>.Empty, ReplicatedJobs.Majority, context([.. batch.Select(s => s.Id)]),
                    map => batch.Aggregate(map, (m, job) => m.With(_self, job))),
                scheduler);
        }
    }

    /// <summary>
    /// Removes the jobs from the replicated maps (a majority, not waited for: a removal the next scheduler misses
    /// only brings back a finished job that retention removes again). Each replica deletes them from its disk.
    /// </summary>
    public void Remove(IReadOnlyList<string> jobIds, IActorRef scheduler)
    {
        foreach (var (key, ids) in ReplicatedJobs.ByKey(jobIds, id => id))
        {
            _replicator.Tell(
                Dsl.Update(key, LWWDictionary<string, JobSnapshot>.Empty, ReplicatedJobs.Majority, null, map => ids.Aggregate(map, (m, id) => m.Remove(_self, id))),
                scheduler);
        }
    }

    /// <summary>Writes the jobs to this node's disk now; <see cref="StateReplica.Saved"/> comes back.</summary>
    public void SaveLocally(IReadOnlyList<JobRecord> jobs, IActorRef scheduler) =>
        localReplica.Tell(new StateReplica.SaveNow(jobs.Select(j => j.ToSnapshot()).ToList()), scheduler);
}
