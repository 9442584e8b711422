using Akka.Actor;
using Akka.DistributedData;
using Sched.Contracts.Messages;
using Sched.Scheduler.Durability;
using Sched.Scheduler.State;

namespace Sched.Scheduler.Actors;

/// <summary>
/// Recovery and replication. The scheduler starts by reading the jobs from this node's disk and from a majority of
/// scheduler nodes, keeping the newest version of each; then every change is written to a majority, and a
/// submission is answered only once it is both on this node's disk and on a majority of scheduler nodes.
/// </summary>
public sealed partial class SchedulerActor
{
    private readonly SchedulerDurability? _durability;
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Confirmation> _awaiting = new(StringComparer.Ordinal);

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep", PlaceNow.Instance, PlacementSweep);
        if (_settings.WatchCluster)
        {
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, ClusterMembership.Events);
        }

        _durability?.RequestRecovery(Self);
    }

    private void Recovering()
    {
        IReadOnlyList<JobSnapshot>? local = null;
        IReadOnlyList<JobSnapshot>? replicated = null;
        void CompleteWhenBoth()
        {
            if (local is null || replicated is null)
            {
                return;
            }

            _state = SchedulerState.Of(local.Concat(replicated).Select(j => j.ToRecord()));
            _log.Information("scheduler recovered {Jobs} jobs ({Local} from this node's disk, {Replicated} from the scheduler nodes)",
                _state.Jobs.Count, local.Count, replicated.Count);
            Become(Active);
            Stash.UnstashAll();
            _changed.UnionWith(_state.Jobs.Keys);
            PlacePending();
        }

        Receive<StateReplica.LocalJobs>(l =>
        {
            local = l.Jobs;
            CompleteWhenBoth();
        });
        Receive<GetFailure>(_ =>
        {
            _log.Warning("a majority of scheduler nodes did not answer within 5 s; recovering from what this node has");
            Context.System.DistributedData().Replicator.Tell(Dsl.Get(ReplicatedJobs.Key, ReadLocal.Instance));
        });
        Receive<IGetResponse>(response =>
        {
            replicated = SchedulerDurability.JobsIn(response).ToList();
            CompleteWhenBoth();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void ReceiveDurabilityOutcomes()
    {
        Receive<StateReplica.Saved>(saved => Confirm(saved.JobIds, c => c with { Saved = true }));
        Receive<UpdateSuccess>(success => Confirm(BatchOf(success.Request), c => c with { Replicated = true }));
        Receive<IUpdateFailure>(OnReplicationFailed);
    }

    /// <summary>Writes every job changed since the last call to a majority, in one update.</summary>
    private void ReplicateChanges()
    {
        if (_durability is null || _changed.Count == 0)
        {
            _changed.Clear();
            return;
        }

        var jobs = _changed.Select(_state.Job).OfType<JobRecord>().ToList();
        _changed.Clear();
        var awaited = jobs.Where(j => _awaiting.ContainsKey(j.Id)).ToList();
        _durability.Replicate(jobs, Self, new ReplicationBatch(jobs.Select(j => j.Id).ToList()));
        var toSave = awaited.Where(j => !_awaiting[j.Id].SaveRequested).ToList();
        if (toSave.Count > 0)
        {
            _durability.SaveLocally(toSave, Self);
            toSave.ForEach(j => _awaiting[j.Id] = _awaiting[j.Id] with { SaveRequested = true });
        }
    }

    private void AwaitDurable(string jobId, IActorRef client)
    {
        if (_durability is null)
        {
            client.Tell(new JobReply(_state.Job(jobId)!.ToView()));
            return;
        }

        _awaiting[jobId] = new Confirmation([client], false, false, false);
    }

    /// <summary>A retried submission gets the job of the first one, once that one is durable.</summary>
    private void AnswerWhenDurable(string jobId, IActorRef client)
    {
        if (_awaiting.TryGetValue(jobId, out var pending))
        {
            _awaiting[jobId] = pending with { Clients = [.. pending.Clients, client] };
            return;
        }

        client.Tell(new JobReply(_state.Job(jobId)!.ToView()));
    }

    private void Confirm(IEnumerable<string> jobIds, Func<Confirmation, Confirmation> change)
    {
        foreach (var id in jobIds)
        {
            if (!_awaiting.TryGetValue(id, out var pending))
            {
                continue;
            }

            var now = change(pending);
            if (now.Saved && now.Replicated)
            {
                _awaiting.Remove(id);
                now.Clients.ForEach(c => c.Tell(new JobReply(_state.Job(id)!.ToView())));
            }
            else
            {
                _awaiting[id] = now;
            }
        }
    }

    /// <summary>Changes are written again with the next update; a waiting submitter hears that its job is not yet safe.</summary>
    private void OnReplicationFailed(IUpdateFailure failure)
    {
        var batch = BatchOf(failure.Request).ToList();
        _log.Warning("jobs {Jobs} were not confirmed by a majority of scheduler nodes within {Timeout}; writing them again",
            string.Join(",", batch), ReplicatedJobs.WriteTimeout);
        _changed.UnionWith(batch.Where(id => _state.Job(id) is not null));
        foreach (var id in batch.Where(_awaiting.ContainsKey))
        {
            var pending = _awaiting[id];
            _awaiting.Remove(id);
            pending.Clients.ForEach(c => c.Tell(new JobReply(_state.Job(id)!.ToView(),
                NotConfirmed: "accepted, but not yet confirmed by a majority of scheduler nodes; retry with the same Idempotency-Key")));
        }

        Timers.StartSingleTimer("replicate-again", PlaceNow.Instance, TimeSpan.FromSeconds(1));
    }

    private static IEnumerable<string> BatchOf(object? request) => request is ReplicationBatch batch ? batch.JobIds : [];

    private sealed record ReplicationBatch(IReadOnlyList<string> JobIds);

    private sealed record Confirmation(List<IActorRef> Clients, bool SaveRequested, bool Saved, bool Replicated);
}
