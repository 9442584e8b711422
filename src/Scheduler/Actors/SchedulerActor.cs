using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.Contracts.Quantities;
using Sched.Contracts.Serialization;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Durability;
using Serilog;

namespace Sched.Scheduler.Actors;

/// <summary>
/// The cluster's scheduler (a singleton). Thin by design: it receives, asks the pure core what follows,
/// applies the events, and sends what they imply to the node agents.
/// </summary>
public sealed partial class SchedulerActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private static readonly TimeSpan PlacementSweep = TimeSpan.FromSeconds(5);
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly ILogger _log;
    private readonly PlacementLog _placements;
    private readonly Dictionary<string, IActorRef> _agents = new(StringComparer.Ordinal);
    private readonly SchedulerSettings _settings;
    private SchedulerState _state = SchedulerState.Empty;
    private NodeRegistry _nodes = NodeRegistry.Empty;
    private ImmutableDictionary<string, string> _toldNodeStates = ImmutableDictionary<string, string>.Empty;
    private DateTimeOffset _placeAfterRegistrations = DateTimeOffset.MinValue;

    public SchedulerActor(TimeProvider clock, Random random, ILogger log, SchedulerSettings settings, SchedulerDurability? durability)
    {
        _settings = settings;
        _clock = clock;
        _random = random;
        _log = log.ForContext<SchedulerActor>();
        _placements = new PlacementLog(_log);
        _durability = durability;
        if (durability is null)
        {
            Active();
        }
        else
        {
            Recovering();
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    private DateTimeOffset Now => _clock.GetUtcNow();

    public static Props Props(TimeProvider clock, Random random, ILogger log, SchedulerSettings settings, SchedulerDurability? durability = null) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(clock, random, log, settings, durability));

    private void Active()
    {
        Receive<RegisterNode>(OnRegisterNode);
        Receive<NodeContainers>(OnNodeContainers);
        Receive<SubmitJob>(OnSubmit);
        Receive<GetJobs>(OnGetJobs);
        Receive<GetJob>(get => Sender.Tell(new JobReply(WithImageWaits(_state.Job(get.JobId)?.ToView()))));
        Receive<StopJob>(OnStop);
        Receive<ScaleJob>(OnScale);
        Receive<RerunJob>(OnRerun);
        Receive<PlanJob>(plan => Sender.Tell(new JobReply(
            SchedulerDecisions.Plan(_state, JobIds.New(plan.Spec.Name, _state, _random), plan.Spec, _nodes.Snapshot(_state, Now), Now).ToView())));
        Receive<StreamShardLogs>(OnStreamLogs);
        Receive<GetNodes>(_ => Sender.Tell(new NodeListReply(_nodes.Views(_state, Now))));
        ReceiveStartReports();
        Receive<PlaceNow>(_ => PlacePending());
        Receive<SweepRetention>(_ => RemoveExpiredJobs());
        Receive<LeftGraceOver>(OnLeftGraceOver);
        Receive<AbsentGraceOver>(OnAbsentGraceOver);
        Receive<ClusterEvent.IMemberEvent>(OnMembership);
        Receive<ClusterEvent.IReachabilityEvent>(OnMembership);
        ReceiveImageReports();
        ReceiveDurabilityOutcomes();
    }

    protected override void PostStop()
    {
        if (_settings.WatchCluster)
        {
            Cluster.Get(Context.System).Unsubscribe(Self);
        }
    }

    private void OnMembership(object clusterEvent)
    {
        if (ClusterMembership.Of(clusterEvent) is not var (address, membership))
        {
            return;
        }

        if (_nodes.NodeAt(address) is not { } node)
        {
            OnUnreportedMemberGone(ClusterMembership.NodeOf(clusterEvent), address, membership);
            return;
        }

        if (_nodes.Nodes[node].Membership == membership)
        {
            return;
        }

        _log.Information("node {Node} is {Membership} ({Address})", node, membership.ToString().ToLowerInvariant(), address);
        _nodes = _nodes.MemberChanged(address, membership);
        switch (membership)
        {
            case Membership.Removed when HasLiveIncarnation(node, address):
                _log.Information("node {Node} rejoined as a new cluster member: its report decides what runs there", node);
                break;
            case Membership.Removed:
                LoseShardsOf(node, _settings.FencingMargin);
                break;
            case Membership.Left:
                Timers.StartSingleTimer($"left-{node}", new LeftGraceOver(node), _settings.LeftGrace);
                break;
            default:
                break;
        }

        PlacePending();
    }

    /// <summary>
    /// A member that holds shards in the recovered state but never reported to this scheduler is downed or leaves:
    /// now its shards count as lost, as those of a node that had reported.
    /// </summary>
    private void OnUnreportedMemberGone(string? node, string address, Membership membership)
    {
        if (node is null || _nodes.Nodes.ContainsKey(node) || HasLiveIncarnation(node, address)
            || !SchedulerDecisions.NodesWithActiveShards(_state).Contains(node, StringComparer.Ordinal))
        {
            return;
        }

        if (membership == Membership.Removed)
        {
            LoseShardsOf(node, _settings.FencingMargin);
            PlacePending();
        }
        else if (membership == Membership.Left)
        {
            Timers.StartSingleTimer($"left-{node}", new LeftGraceOver(node), _settings.LeftGrace);
        }
    }

    /// <summary>Whether an incarnation of the node other than <paramref name="gone"/> is in the cluster now (it restarted and joined again).</summary>
    private bool HasLiveIncarnation(string node, string? gone = null) =>
        _settings.WatchCluster && ClusterMembership.LiveNodes(Cluster.Get(Context.System), gone).Contains(node);

    private void OnLeftGraceOver(LeftGraceOver over)
    {
        var entry = _nodes.Nodes.GetValueOrDefault(over.Node);
        if (entry?.Membership == Membership.Left || (entry is null && !HasLiveIncarnation(over.Node)))
        {
            LoseShardsOf(over.Node, TimeSpan.Zero);
            PlacePending();
        }
    }

    private void LoseShardsOf(string node, TimeSpan margin)
    {
        var lost = SchedulerDecisions.NodeDown(_state, node, Now, margin);
        Apply(lost);
        if (lost.Count > 0)
        {
            _log.Warning("node {Node} is gone: {Count} shards lost, placing them again in {Margin} once it has fenced", node, lost.Count, margin);
        }
    }

    private void OnRegisterNode(RegisterNode report)
    {
        if (!_nodes.Nodes.ContainsKey(report.Node) && report.Total.MilliCpus == 0)
        {
            _log.Information("node {Node} joined: {Reason}; its capacity follows", report.Node, report.HealthReason);
        }
        else if (report.Total.MilliCpus > 0 && _nodes.Nodes.GetValueOrDefault(report.Node) is not { Report.Total.MilliCpus: > 0 })
        {
            _log.Information("node {Node} joined: {Cpus} cpus and {Memory} memory allocatable, labels {Labels}",
                report.Node, Quantity.FormatCpus(report.Allocatable.MilliCpus), Quantity.DescribeMemory(report.Allocatable.MemoryBytes),
                string.Join(",", report.Labels.Select(l => $"{l.Key}={l.Value}")));
        }

        var firstContact = !_agents.TryGetValue(report.Node, out var known) || !known.Equals(Sender);
        _nodes = _nodes.Report(report, Now);
        _agents[report.Node] = Sender;
        Sender.Tell(new NodeRegistered(report.Node, WantsContainers: firstContact));
        PlacePending();
    }

    private void OnNodeContainers(NodeContainers report)
    {
        var now = Now;
        var result = Reconciler.Reconcile(_state, report.Node, report.Containers, report.Supervised, now);
        Apply(result.Events);
        foreach (var exited in result.Exited)
        {
            Apply(SchedulerDecisions.Ended(_state, exited.Id, AttemptEnd.Exited(exited.ExitCode ?? -1, exited.OomKilled), now, _random.NextDouble()));
        }

        _log.Information("reconciled node {Node}: {Keep} containers kept, {Remove} removed, {Exited} exited while unobserved, {StartAgain} starts sent again",
            report.Node, result.Keep.Length, result.Remove.Length, result.Exited.Count, result.StartAgain.Count);
        Sender.Tell(new ReconcileVerdict(result.Keep, result.Remove));
        foreach (var attempt in result.StartAgain)
        {
            Launch(attempt, report.Node);
        }

        PlacePending();
    }

    private void OnSubmit(SubmitJob submit)
    {
        if (submit.IdempotencyKey is { } key && _state.JobWithIdempotencyKey(key) is { } earlier)
        {
            AnswerWhenDurable(earlier.Id, Sender);
            return;
        }

        var jobId = JobIds.New(submit.Spec.Name, _state, _random);
        Apply(SchedulerDecisions.Accept(jobId, submit.Spec, Now, submit.IdempotencyKey));
        _log.Information("accepted job {Job}: {Shards} shards of {Image}", jobId, submit.Spec.Shards, submit.Spec.Image);
        AwaitDurable(jobId, Sender);
        PlacePending();
    }

    /// <summary>A page of the jobs; one that goes to another node is cut to fit a cluster frame.</summary>
    private void OnGetJobs(GetJobs ask)
    {
        var budget = Sender.Path.Address.HasLocalScope ? (int?)null : JobListPage.RemoteBudgetBytes;
        Sender.Tell(JobListPage.Of(_state.Jobs.Values.Select(j => WithImageWaits(j.ToView())!), ask, budget, SchedSerialization.SizeOnWire));
    }

    private void OnScale(ScaleJob scale)
    {
        var events = SchedulerDecisions.Scale(_state, scale.JobId, scale.Parallel);
        if (events.Count > 0)
        {
            _log.Information("job {Job}: at most {Parallel} shards at once", scale.JobId, scale.Parallel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any number of");
        }

        Handle(events);
        Sender.Tell(new JobReply(_state.Job(scale.JobId)?.ToView()));
    }

    private void OnRerun(RerunJob rerun)
    {
        var decision = SchedulerDecisions.Rerun(_state, rerun.JobId, rerun.Shards, Now);
        if (decision.Events.Count > 0)
        {
            _log.Information("rerunning job {Job}: shards {Shards}", rerun.JobId, string.Join(",", ((ShardsRerun)decision.Events[0]).Shards));
        }

        Handle(decision.Events);
        Sender.Tell(new RerunReply(_state.Job(rerun.JobId)?.ToView(), decision.Refusal, decision.Reason));
    }

    private void OnStop(StopJob stop)
    {
        var events = SchedulerDecisions.Stop(_state, stop.JobId, Now);
        Apply(events);
        if (events.Count > 0)
        {
            _log.Information("stopping job {Job}", stop.JobId);
            foreach (var agent in _agents.Values)
            {
                agent.Tell(new RemoveJobContainers(stop.JobId));
            }
        }

        Sender.Tell(new JobReply(_state.Job(stop.JobId)?.ToView()));
        PlacePending();
    }

    /// <summary>The agent of the shard's node streams the log straight to whoever asked.</summary>
    private void OnStreamLogs(StreamShardLogs request)
    {
        if (_state.Job(request.JobId) is null)
        {
            Context.ActorOf(ArchivedLogLookup.Props(request, Sender, _agents.ToImmutableDictionary(StringComparer.Ordinal)));
            return;
        }

        var shard = _state.Job(request.JobId) is { } job && request.Shard >= 1 && request.Shard <= job.Shards.Length ? job.Shard(request.Shard) : null;
        var node = shard?.Node ?? shard?.LastNode;
        if (shard is null || shard.Attempt == 0 || node is null || !_agents.TryGetValue(node, out var agent))
        {
            Sender.Tell(new LogsEnded(shard is null ? $"no shard {request.Shard} in job {request.JobId}" : $"shard {request.Shard} has not run yet"));
            return;
        }

        agent.Tell(new StreamContainerLogs(new ShardAttemptId(request.JobId, request.Shard, shard.Attempt).ContainerName, request.Follow), Sender);
    }

    /// <summary>
    /// Finished jobs past the retention limits leave the state, the replicas and the disks; every agent removes their
    /// containers, keeping each one's log in its archive first, so `sched logs` still answers for them.
    /// </summary>
    private void RemoveExpiredJobs()
    {
        var removed = Retention.Expired(_state, _settings.Retention, Now);
        if (removed.Count == 0)
        {
            return;
        }

        Apply(removed);
        foreach (var jobId in removed.Select(SchedulerState.JobOf))
        {
            foreach (var agent in _agents.Values)
            {
                agent.Tell(new RemoveJobContainers(jobId));
            }
        }

        _log.Information("removed {Count} finished jobs ({Kept} finished jobs kept for {Age} at most): {Jobs}", removed.Count,
            _settings.Retention.MaxFinished, Duration.Format(_settings.Retention.MaxAge), string.Join(",", removed.Select(SchedulerState.JobOf)));
        ReplicateChanges();
    }

    private void Handle(IReadOnlyList<ISchedulerEvent> events)
    {
        Apply(events);
        PlacePending();
    }

    private void PlacePending()
    {
        var now = Now;
        AnnounceNodeChanges(now);
        if (AwaitingRegistrations(now))
        {
            Timers.StartSingleTimer("registrations", PlaceNow.Instance, _placeAfterRegistrations - now);
            ReplicateChanges();
            return;
        }

        Apply(PeriodicRuns.Due(_state, now));
        StopJobsPastDeadline(now);
        var round = SchedulerDecisions.Place(_state, _nodes.Snapshot(_state, now), now);
        _state = _state.Apply(round);
        Announce(round.Events);
        foreach (var decision in round.Placed)
        {
            var job = _state.Job(decision.Request.Id.JobId)!;
            _placements.Placed(job.Spec, decision);
            Launch(decision.Request.Id, decision.Node);
        }

        if (SchedulerDecisions.NextRetry(_state, now) is { } next)
        {
            Timers.StartSingleTimer("retry", PlaceNow.Instance, next - now);
        }

        if (SchedulerDecisions.NextDeadline(_state) is { } deadline)
        {
            Timers.StartSingleTimer("deadline", PlaceNow.Instance, deadline - now);
        }

        if (PeriodicRuns.Next(_state, now) is { } occurrence)
        {
            Timers.StartSingleTimer("periodic", PlaceNow.Instance, occurrence > now ? occurrence - now : TimeSpan.Zero);
        }

        ReplicateChanges();
    }

    /// <summary>Watchers learn when a node joins or changes state; the periodic placement sweep notices what time alone changes.</summary>
    private void AnnounceNodeChanges(DateTimeOffset now)
    {
        (var events, _toldNodeStates) = NodeEvents.Changes(_toldNodeStates, _nodes.Views(_state, now), now);
        foreach (var evt in events)
        {
            _settings.Publish(evt);
        }
    }

    private void StopJobsPastDeadline(DateTimeOffset now)
    {
        foreach (var late in SchedulerDecisions.PastDeadline(_state, now).Cast<ShardsStoppedEarly>())
        {
            var before = _state.Job(late.JobId)!;
            Apply([late]);
            StopActiveShards(before, late.Reason);
        }
    }

    /// <summary>
    /// Just after a scheduler took over, the nodes register one by one: placing then would put every lost shard on
    /// the first node that did. It waits, briefly, until every worker that is up has registered.
    /// </summary>
    private bool AwaitingRegistrations(DateTimeOffset now) =>
        now < _placeAfterRegistrations && _settings.WatchCluster
        && Cluster.Get(Context.System).State.Members.Any(m => m.Status == MemberStatus.Up && m.HasRole(ClusterRoles.Worker)
            && ClusterRoles.NodeNameIn(m.Roles) is { } node && !_nodes.Nodes.ContainsKey(node));

    private void Apply(IReadOnlyList<ISchedulerEvent> events)
    {
        foreach (var evt in events)
        {
            _state = _state.Apply(evt);
            Announce([evt]);
        }
    }

    /// <summary>Marks the events' jobs for replication, and tells the log, the metrics and the watchers.</summary>
    private void Announce(IReadOnlyList<ISchedulerEvent> applied)
    {
        foreach (var evt in applied)
        {
            if (evt is JobRemoved)
            {
                _changed.Remove(SchedulerState.JobOf(evt));
                _removedJobs.Add(SchedulerState.JobOf(evt));
            }
            else
            {
                _changed.Add(SchedulerState.JobOf(evt));
            }

            _placements.Describe(evt);
            _settings.Publish(JobEvents.Of(evt, _state, Now));
        }
    }

    private sealed record LeftGraceOver(string Node);

    private sealed record SweepRetention
    {
        public static readonly SweepRetention Instance = new();
    }

    private sealed record PlaceNow
    {
        public static readonly PlaceNow Instance = new();
    }
}
