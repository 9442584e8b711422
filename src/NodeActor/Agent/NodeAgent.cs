using Akka.Actor;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.Contracts.Quantities;
using Sched.NodeActor.Images;
using Sched.NodeActor.Runtime;
using Serilog;

namespace Sched.NodeActor.Agent;

/// <summary>
/// The node's agent: probes the engine, reports capacity and health to the scheduler at a fixed
/// interval, and runs each shard handed to it in a <see cref="ShardRunner"/> of its own.
/// </summary>
public sealed partial class NodeAgent : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(10);

    /// <summary>podman's /info walks its storage: on a busy board it was seen to take 8 s.</summary>
    private static readonly TimeSpan InfoTimeout = TimeSpan.FromSeconds(30);
    private readonly IContainerRuntime _runtime;
    private readonly IActorRef _scheduler;
    private readonly AgentOptions _options;
    private readonly ILogger _log;
    private readonly ICommandSenders _senders;
    private readonly RefusalLog _refusals;
    private static readonly TimeSpan InfoRefresh = TimeSpan.FromMinutes(1);
    private NodeHealth _health = NodeHealth.Unknown;
    private EngineInfo? _info;
    private bool _probing;
    private DateTime _infoAt;

    public NodeAgent(IContainerRuntime runtime, IActorRef scheduler, AgentOptions options, ILogger log, ICommandSenders senders, IImageStore? images)
    {
        _runtime = runtime;
        _images = images;
        _scheduler = scheduler;
        _options = options;
        _senders = senders;
        _log = log.ForContext("Node", options.NodeName);
        _refusals = new RefusalLog(_log);
        Receive<Probe>(_ => StartProbe());
        Receive<Probed>(OnProbed);
        Receive<NodeRegistered>(OnRegistered);
        Receive<ReportNow>(_ => StartProbe());
        Receive<Inventory>(i => _scheduler.Tell(new NodeContainers(_options.NodeName, i.Containers, Supervised())));
        Receive<ReconcileVerdict>(v => FromScheduler(v, OnVerdict));
        ReceiveFencing();
        Receive<StreamContainerLogs>(OnStreamLogs);
        Receive<FindShardLog>(OnFindShardLog);
        Receive<RunShard>(run => FromScheduler(run, OnRunShard));
        Receive<StopShard>(stop => FromScheduler(stop, OnStopShard));
        Receive<RemoveJobContainers>(remove => FromScheduler(remove, OnRemoveJob));
        Receive<JobContainersRemoved>(r =>
        {
            if (r.Count > 0)
            {
                _log.Information("removed {Count} containers of job {Job}", r.Count, r.JobId);
            }
        });
        Receive<ShardRunner.TimedOutContainer>(t => ArchiveAndRemove(t.Id, t.ContainerId).PipeTo(Self, success: () => new TimedOutRemoved(t.Id)));
        Receive<TimedOutRemoved>(r => _log.Information("removed the container of {Attempt}, which ran past its timeout; its log is archived", r.Id));
        ReceiveImageMessages();
        ReceivePruneMessages();
        Receive<Status.Failure>(f => _log.Warning(f.Cause, "container cleanup failed"));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="senders">Who may command this agent; outside a cluster, only this process.</param>
    /// <param name="images">The node's image store, to copy images from and to peers; without it the engine pulls.</param>
    public static Props Props(IContainerRuntime runtime, IActorRef scheduler, AgentOptions options, ILogger log, ICommandSenders? senders = null, IImageStore? images = null) =>
        Akka.Actor.Props.Create(() => new NodeAgent(runtime, scheduler, options, log, senders ?? LocalCommandSenders.Instance, images));

    /// <summary>
    /// Registers at once, with no room, before podman's /info has answered (seconds on a busy board): the scheduler's
    /// reconciliation, which lets this agent renew the fencing lease, must not wait for it while a restart's lease
    /// runs out and the guard stops the containers this agent is about to adopt.
    /// </summary>
    protected override void PreStart()
    {
        Self.Tell(Probe.Instance);
        Timers.StartPeriodicTimer("probe", Probe.Instance, _options.ReportInterval);
        StartPruning();
        StartRenewingLease();
        Register();
    }

    /// <summary>Capacity is read at start and every <see cref="InfoRefresh"/>; between, a ping tells whether the engine answers.</summary>
    private void StartProbe()
    {
        if (_probing)
        {
            return;
        }

        _probing = true;
        var known = _info is { } info && DateTime.UtcNow - _infoAt < InfoRefresh ? info : null;
        ProbeEngine(_runtime, known).PipeTo(Self,
            success: result => new Probed(result, null, Fetched: known is null),
            failure: ex => new Probed(null, ex.GetBaseException().Message, false));
    }

    private static async Task<EngineInfo> ProbeEngine(IContainerRuntime runtime, EngineInfo? known)
    {
        using var timeout = new CancellationTokenSource(known is null ? InfoTimeout : PingTimeout);
        if (known is not null)
        {
            await runtime.PingAsync(timeout.Token).WaitAsync(timeout.Token);
            return known;
        }

        return await runtime.GetInfoAsync(timeout.Token).WaitAsync(timeout.Token);
    }

    private void OnProbed(Probed probed)
    {
        _probing = false;
        if (probed is { Info: { } fetched, Fetched: true })
        {
            (_info, _infoAt) = (fetched, DateTime.UtcNow);
        }

        var next = probed.Info is { } info ? _health.Answered(info) : _health.Unhealthy(probed.Error!);
        if (next.IsHealthy != _health.IsHealthy || _health == NodeHealth.Unknown)
        {
            if (next.IsHealthy)
            {
                _log.Information("node {Node} healthy: {Cpus} cpus, {Memory} memory", _options.NodeName,
                    Quantity.FormatCpus(next.Total.MilliCpus), Quantity.DescribeMemory(next.Total.MemoryBytes));
            }
            else
            {
                _log.Warning("node {Node} unhealthy: {Reason}", _options.NodeName, next.Reason);
            }
        }

        _health = next;
        RefreshImages();
        Register();
    }

    /// <summary>
    /// Reports the node to the scheduler. Until it has reconciled (at start, and after a fence) it offers no room,
    /// so nothing is placed on it that its lease does not yet cover, or while it is fenced.
    /// </summary>
    private void Register()
    {
        var (healthy, reason) = _fencedFor is { } fenced ? (false, $"fenced ({fenced}); takes no work until it has rejoined and reconciled")
            : !_reconciled ? (false, "reconciling its containers with the scheduler")
            : (_health.IsHealthy, _health.Reason);
        _scheduler.Tell(new RegisterNode(
            _options.NodeName, _options.MemberAddress, _health.Total, _health.AllocatableAfter(_options.Reserved), _options.Labels, healthy, reason));
    }

    private void FromScheduler<T>(T command, Action<T> handle)
        where T : notnull
    {
        if (_senders.MayCommand(Sender))
        {
            handle(command);
        }
        else
        {
            _refusals.Refused(Sender, typeof(T).Name, Sender.IsNobody() ? "it names no sender" : "it is not the scheduler of this node's cluster");
        }
    }

    private void OnStreamLogs(StreamContainerLogs request)
    {
        if (_senders.MayReadLogs(Sender))
        {
            Context.ActorOf(LogStreamer.Props(_runtime, _options.Archive, request, Sender));
        }
        else
        {
            _refusals.Refused(Sender, nameof(StreamContainerLogs), "it is not a scheduler node of this node's cluster");
        }
    }

    /// <summary>Which attempt of the shard this node holds a log of, a container's or an archived one; the latest wins.</summary>
    private void OnFindShardLog(FindShardLog find)
    {
        if (!_senders.MayReadLogs(Sender))
        {
            _refusals.Refused(Sender, nameof(FindShardLog), "it is not a scheduler node of this node's cluster");
            return;
        }

        var log = _log;
        LatestLoggedAttempt(find).PipeTo(Sender, success: attempt => new ShardLogHeld(find.JobId, find.Shard, _options.NodeName, attempt),
            failure: e =>
            {
                log.Warning("could not look for logs of {Job} shard {Shard}: {Reason}", find.JobId, find.Shard, e.GetBaseException().Message);
                return new ShardLogHeld(find.JobId, find.Shard, _options.NodeName, null);
            });
    }

    private async Task<int?> LatestLoggedAttempt(FindShardLog find)
    {
        var containers = await _runtime.ListManagedAsync(CancellationToken.None);
        var attempts = containers.Select(c => ContainerInventory.AttemptOf(c.Labels))
            .Where(id => id is not null && id.JobId == find.JobId && id.Shard == find.Shard).Select(id => id!.Attempt)
            .Concat(_options.Archive?.AttemptsOf(find.JobId, find.Shard) ?? []);
        return attempts.Select(a => (int?)a).Max();
    }

    private void OnRunShard(RunShard run)
    {
        if ((_fencedFor is { } fenced ? $"node {_options.NodeName} is fenced ({fenced}) until it has rejoined and reconciled" : RunShardCheck.Refusal(run, _options.HostPathRoots)) is { } refusal)
        {
            _log.Warning("not starting {Attempt}: {Reason}", run.Id, refusal);
            _scheduler.Tell(new ShardStartFailed(run.Id, _options.NodeName, refusal));
            return;
        }

        // Acknowledged on arrival, also while the shard waits for its image: the scheduler sends a start again until
        // it hears this, and a start this agent already runs or waits to run changes nothing.
        if (Context.Child(run.Id.ContainerName).IsNobody() && !IsWaitingForImage(run.Id))
        {
            WithImage(run);
        }

        _scheduler.Tell(new ShardAccepted(run.Id, _options.NodeName));
    }

    private void Launch(RunShard run)
    {
        var name = run.Id.ContainerName;
        if (Context.Child(name).IsNobody())
        {
            Context.ActorOf(ShardRunner.Launch(_runtime, run, _scheduler, _options.NodeName, _log, new ShardHost(_options.PublishAddress, _options.HostPathRoots)), name);
        }
    }

    /// <summary>On first contact with a scheduler, tell it which managed containers this node has.</summary>
    private void OnRegistered(NodeRegistered registered)
    {
        if (registered.WantsContainers || AwaitsVerdict)
        {
            _imagesReported = false;
            RefreshImages();
            ContainerInventory.TakeAsync(_runtime, CancellationToken.None)
                .PipeTo(Self, success: containers => new Inventory(containers));
        }
    }

    private System.Collections.Immutable.ImmutableArray<ShardAttemptId> Supervised() =>
        [.. Context.GetChildren().Select(c => ShardAttemptId.FromContainerName(c.Path.Name)).OfType<ShardAttemptId>(), .. WaitingForImages()];

    private void OnVerdict(ReconcileVerdict verdict)
    {
        foreach (var keep in verdict.Keep.Where(k => Context.Child(k.Id.ContainerName).IsNobody()))
        {
            Context.ActorOf(ShardRunner.Adopt(_runtime, keep.Id, keep.ContainerId, _scheduler, _options.NodeName, _log), keep.Id.ContainerName);
        }

        foreach (var remove in verdict.Remove)
        {
            _log.Information("removing {Container}: the scheduler no longer assigns {Attempt} to this node", remove.Id.ContainerName, remove.Id);
            RemoveIfOurs(remove.ContainerId, remove.Id);
        }

        Reconciled();
    }

    /// <summary>Removes the container only if it is this cluster's and carries the attempt it was named for.</summary>
    private void RemoveIfOurs(string container, ShardAttemptId attempt) =>
        RemoveIfOursAsync(container, attempt).PipeTo(Self, success: removed => new JobContainersRemoved(attempt.JobId, removed ? 1 : 0));

    private async Task<bool> RemoveIfOursAsync(string container, ShardAttemptId attempt)
    {
        var details = await _runtime.InspectManagedAsync(container, CancellationToken.None);
        if (details is null || ContainerInventory.AttemptOf(details.Labels) != attempt)
        {
            return false;
        }

        if (!details.Running)
        {
            await Archive(attempt, details.Id);
        }

        await _runtime.RemoveAsync(details.Id, CancellationToken.None);
        return true;
    }

    private void OnStopShard(StopShard stop)
    {
        ForgetWaiting(id => id == stop.Id);
        var runner = Context.Child(stop.Id.ContainerName);
        if (!runner.IsNobody())
        {
            runner.Forward(stop);
            return;
        }

        RemoveIfOurs(stop.Id.ContainerName, stop.Id);
    }

    private void OnRemoveJob(RemoveJobContainers remove)
    {
        ForgetWaiting(id => id.JobId == remove.JobId);
        var prefix = $"sched-{remove.JobId}-";
        foreach (var runner in Context.GetChildren().Where(c => c.Path.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            runner.Tell(new StopShard(new ShardAttemptId(remove.JobId, 0, 0)));
        }

        RemoveManagedContainersOf(remove.JobId).PipeTo(Self, success: count => new JobContainersRemoved(remove.JobId, count));
    }

    /// <summary>Each container's log goes to the archive first, so `sched logs` answers for the job after its containers are gone.</summary>
    private async Task<int> RemoveManagedContainersOf(string jobId)
    {
        var containers = await _runtime.ListManagedAsync(CancellationToken.None);
        var ofJob = containers.Where(c => c.Labels.GetValueOrDefault(ContainerLabels.Job) == jobId).ToList();
        await Task.WhenAll(ofJob.Select(ArchiveAndRemove));
        return ofJob.Count;
    }

    private Task ArchiveAndRemove(ManagedContainer container) => ArchiveAndRemove(ContainerInventory.AttemptOf(container.Labels), container.Id);

    private async Task ArchiveAndRemove(ShardAttemptId? attempt, string containerId)
    {
        if (attempt is { } id)
        {
            await Archive(id, containerId);
        }

        await _runtime.RemoveAsync(containerId, CancellationToken.None);
    }

    private async Task Archive(ShardAttemptId attempt, string containerId)
    {
        if (_options.Archive is not { } archive)
        {
            return;
        }

        try
        {
            await archive.KeepAsync(_runtime, attempt, containerId, CancellationToken.None);
        }
        catch (Exception e) when (e is ContainerRuntimeException or IOException or UnauthorizedAccessException)
        {
            // The container goes anyway: retention is there to free the disk. The log says what was lost.
            _log.Warning("could not archive the log of {Container} before removing it: {Reason}", attempt.ContainerName, e.Message);
        }
    }

    private sealed record Probe
    {
        public static readonly Probe Instance = new();
    }

    private sealed record Probed(EngineInfo? Info, string? Error, bool Fetched);

    private sealed record JobContainersRemoved(string JobId, int Count);

    private sealed record TimedOutRemoved(ShardAttemptId Id);

    private sealed record Inventory(System.Collections.Immutable.ImmutableArray<ContainerReport> Containers);
}
