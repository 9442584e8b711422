using Akka.Actor;
using Akka.DistributedData;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Durability;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Durability;

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
    private readonly HashSet<string> _removedJobs = new(StringComparer.Ordinal);
    private Confirmations<IActorRef> _awaiting = Confirmations<IActorRef>.None;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep", PlaceNow.Instance, PlacementSweep);
        Timers.StartPeriodicTimer("retention", SweepRetention.Instance, _settings.Retention.SweepInterval);
        StartWatchingLaunches();
        if (_settings.WatchCluster)
        {
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, ClusterMembership.Events);
        }

        if (_durability is not null)
        {
            _log.Information("scheduler starting on this node: recovering the jobs");
            Self.Tell(AwaitQuorum.Instance);
            Timers.StartPeriodicTimer("await-quorum", AwaitQuorum.Instance, QuorumPoll);
        }
    }

    /// <summary>
    /// First a majority of the scheduler nodes this node last knew must be up (a node whose disk missed what the
    /// others did must not recover alone from it); then the jobs are read from this node's disk and from a majority
    /// of scheduler nodes, keeping the newest version of each.
    /// </summary>
    private void Recovering()
    {
        StateReplica.RecoveryView? view = null;
        var wait = RecoveryWait.StartedAt(Now);
        Receive<AwaitQuorum>(_ => _durability!.AskRecoveryView(Self));
        Receive<StateReplica.RecoveryView>(v =>
        {
            (wait, var step) = wait.Heard(v.HasQuorum, v.NeedsOthers, Now);
            switch (step)
            {
                case RecoveryStep.WarnAndWait:
                    LogWaitingForQuorum(v);
                    break;
                case RecoveryStep.ReadNow or RecoveryStep.ReadAfterCatchUp:
                    view = v;
                    Timers.Cancel("await-quorum");
                    if (step == RecoveryStep.ReadAfterCatchUp)
                    {
                        Timers.StartSingleTimer("read-replicated", ReadReplicated.Instance, ReplicatorCatchUp);
                    }
                    else
                    {
                        _durability!.ReadReplicated(Self);
                    }

                    break;
                default:
                    break;
            }
        });
        Receive<ReadReplicated>(_ => _durability!.ReadReplicated(Self));
        var read = new Dictionary<string, IReadOnlyList<JobSnapshot>>(StringComparer.Ordinal);
        var warned = false;
        Receive<GetFailure>(failure =>
        {
            if (!warned)
            {
                _log.Warning("a majority of scheduler nodes did not answer within 5 s; recovering from what this node has");
                warned = true;
            }

            _durability!.ReadLocally(failure.Key, Self);
        });
        Receive<IGetResponse>(response =>
        {
            read[response.Key.Id] = [.. ReplicatedJobs.JobsIn(response)];
            if (read.Count == ReplicatedJobs.Keys.Length)
            {
                Recover(view!, [.. read.Values.SelectMany(jobs => jobs)]);
            }
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void LogWaitingForQuorum(StateReplica.RecoveryView view)
    {
        var missing = view.Missing.ToList();
        _log.Warning(
            "the scheduler waits for a majority of the scheduler nodes it last knew ({Known}) before it recovers: {Up} up, {Needed} needed. "
            + "Start {Missing}; if they are gone for good, stop this agent, remove them from the list (sqlite3 {Path} \"DELETE FROM scheduler_nodes WHERE name IN ({Quoted})\") and start it again",
            string.Join(",", view.SchedulerNodes), view.Quorum.Up, view.Quorum.Needed, string.Join(", ", missing), view.StatePath,
            string.Join(",", missing.Select(n => $"'{n}'")));
    }

    private void Recover(StateReplica.RecoveryView view, IReadOnlyList<JobSnapshot> replicated)
    {
        _state = SchedulerState.Of(view.Jobs.Concat(replicated).Select(j => j.ToRecord()));
        _log.Information("scheduler recovered {Jobs} jobs ({Local} from this node's disk, {Replicated} from the scheduler nodes)",
            _state.Jobs.Count, view.Jobs.Count, replicated.Count);
        Become(Active);
        _placeAfterRegistrations = Now + RegistrationWait;
        Stash.UnstashAll();
        _changed.UnionWith(_state.Jobs.Keys);
        AccountForAbsentNodes(view.Removed);
        AskAgentsToReport();
        PlacePending();
    }

    private void AskAgentsToReport()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        var report = new ReportNow($"the scheduler started on {ClusterRoles.NodeNameIn(cluster.SelfRoles) ?? cluster.SelfAddress.ToString()}");
        foreach (var member in cluster.State.Members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up && m.HasRole(ClusterRoles.Worker)))
        {
            Context.ActorSelection(ActorPaths.Agent.On(member.Address.ToString())).Tell(report);
        }
    }

    /// <summary>Shards on nodes that have not reported yet: see <see cref="AbsentNodes"/>.</summary>
    private void AccountForAbsentNodes(IReadOnlyDictionary<string, NodeRemoval> removed)
    {
        IReadOnlySet<string> live = _settings.WatchCluster ? ClusterMembership.LiveNodes(Akka.Cluster.Cluster.Get(Context.System)) : new HashSet<string>();
        foreach (var absent in AbsentNodes.Of(_state, _nodes, new ClusterView(live, removed), Now, _settings.FencingMargin, _settings.LeftGrace))
        {
            switch (absent.Verdict)
            {
                case AbsentVerdict.AwaitReport:
                    _log.Information("node {Node} is a cluster member that has not reported yet: its report decides what runs there", absent.Node);
                    break;
                case AbsentVerdict.LoseAfter { Delay: var delay } when removed[absent.Node].Downed:
                    _log.Warning("node {Node} was downed before this scheduler started", absent.Node);
                    LoseShardsOf(absent.Node, delay);
                    break;
                case AbsentVerdict.LoseAfter { Delay: var delay }:
                    _log.Warning("node {Node} left the cluster before this scheduler started; its shards are placed elsewhere in {Delay} unless it returns", absent.Node, delay);
                    Timers.StartSingleTimer($"left-{absent.Node}", new LeftGraceOver(absent.Node), delay);
                    break;
                default:
                    WarnNotInCluster(absent.Node);
                    break;
            }
        }
    }

    /// <summary>A node this cluster never saw go: its containers may run. The scheduler waits for it and says so now and then.</summary>
    private void WarnNotInCluster(string node)
    {
        _log.Warning(
            "node {Node} holds shards but is not in this cluster and was never downed or seen leaving it: they stay assigned to it until it joins and "
            + "reports what runs there (start its agent), or the cluster downs it. A node that will not come back: `sched stop` its jobs and submit them again",
            node);
        Timers.StartSingleTimer($"absent-{node}", new AbsentGraceOver(node), _settings.LeftGrace);
    }

    private void OnAbsentGraceOver(AbsentGraceOver over)
    {
        if (!_nodes.Nodes.ContainsKey(over.Node) && !HasLiveIncarnation(over.Node)
            && SchedulerDecisions.NodesWithActiveShards(_state).Contains(over.Node, StringComparer.Ordinal))
        {
            WarnNotInCluster(over.Node);
        }
    }

    private void ReceiveDurabilityOutcomes()
    {
        Receive<StateReplica.Saved>(saved => Answer(_awaiting.Saved(saved.JobIds)));
        Receive<StateReplica.SaveFailed>(OnSaveFailed);
        Receive<UpdateSuccess>(success => Answer(_awaiting.Replicated(BatchOf(success.Request))));
        Receive<IUpdateFailure>(OnReplicationFailed);
    }

    /// <summary>Writes every job changed since the last call to a majority, in one update.</summary>
    private void ReplicateChanges()
    {
        if (_durability is not null && _removedJobs.Count > 0)
        {
            _durability.Remove([.. _removedJobs], Self);
        }

        _removedJobs.Clear();
        if (_durability is null || _changed.Count == 0)
        {
            _changed.Clear();
            return;
        }

        var jobs = _changed.Select(_state.Job).OfType<JobRecord>().ToList();
        _changed.Clear();
        _durability.Replicate(jobs, Self, ids => new ReplicationBatch(ids));
        (_awaiting, var toSave) = _awaiting.SaveLocally(jobs.Select(j => j.Id));
        if (toSave.Count > 0)
        {
            _durability.SaveLocally([.. toSave.Select(id => _state.Job(id)!)], Self);
        }
    }

    private void AwaitDurable(string jobId, IActorRef client)
    {
        if (_durability is null)
        {
            client.Tell(new JobReply(_state.Job(jobId)!.ToView()));
            return;
        }

        _awaiting = _awaiting.Await(jobId, client);
    }

    /// <summary>A retried submission gets the job of the first one, once that one is durable.</summary>
    private void AnswerWhenDurable(string jobId, IActorRef client)
    {
        (_awaiting, var answerNow) = _awaiting.Join(jobId, client);
        if (answerNow)
        {
            client.Tell(new JobReply(_state.Job(jobId)!.ToView()));
        }
    }

    private void Answer((Confirmations<IActorRef> Next, IReadOnlyList<Answer<IActorRef>> Confirmed) outcome)
    {
        _awaiting = outcome.Next;
        foreach (var answer in outcome.Confirmed)
        {
            answer.Client.Tell(new JobReply(_state.Job(answer.JobId)!.ToView()));
        }
    }

    /// <summary>Changes are written again with the next update; a waiting submitter hears that its job is not yet safe.</summary>
    private void OnReplicationFailed(IUpdateFailure failure)
    {
        var batch = BatchOf(failure.Request).ToList();
        _log.Warning("jobs {Jobs} were not confirmed by a majority of scheduler nodes within {Timeout}; writing them again",
            string.Join(",", batch), ReplicatedJobs.WriteTimeout);
        _changed.UnionWith(batch.Where(id => _state.Job(id) is not null));
        (_awaiting, var notConfirmed) = _awaiting.ReplicationFailed(batch);
        foreach (var answer in notConfirmed)
        {
            answer.Client.Tell(new JobReply(_state.Job(answer.JobId)!.ToView(),
                NotConfirmed: "accepted, but not yet confirmed by a majority of scheduler nodes; retry with the same Idempotency-Key"));
        }

        Timers.StartSingleTimer("replicate-again", PlaceNow.Instance, TimeSpan.FromSeconds(1));
    }

    /// <summary>The submitters hear why at once (503); the jobs are written again a second later, until the disk takes them.</summary>
    private void OnSaveFailed(StateReplica.SaveFailed failed)
    {
        (_awaiting, var notSaved) = _awaiting.SaveFailed(failed.JobIds);
        foreach (var answer in notSaved)
        {
            answer.Client.Tell(new JobReply(_state.Job(answer.JobId)!.ToView(),
                NotConfirmed: $"accepted, but not written to {failed.Path}: {failed.Reason}. sched writes it again every second; "
                    + "free space or make the data dir writable, then retry with the same Idempotency-Key"));
        }

        _changed.UnionWith(failed.JobIds.Where(id => _state.Job(id) is not null));
        Timers.StartSingleTimer("save-again", PlaceNow.Instance, TimeSpan.FromSeconds(1));
    }

    private static IEnumerable<string> BatchOf(object? request) => request is ReplicationBatch batch ? batch.JobIds : [];

    private static readonly TimeSpan RegistrationWait = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan QuorumPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Time for this node's replicator to hear of the scheduler nodes that just came up, so a majority read includes them.</summary>
    private static readonly TimeSpan ReplicatorCatchUp = TimeSpan.FromSeconds(1);

    private sealed record AwaitQuorum
    {
        public static readonly AwaitQuorum Instance = new();
    }

    private sealed record ReadReplicated
    {
        public static readonly ReadReplicated Instance = new();
    }

    private sealed record AbsentGraceOver(string Node);

    private sealed record ReplicationBatch(IReadOnlyList<string> JobIds);
}
