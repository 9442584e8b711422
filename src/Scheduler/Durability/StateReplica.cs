using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Sched.Contracts.Messages;
using Serilog;

namespace Sched.Scheduler.Durability;

/// <summary>
/// Keeps this scheduler-role node's disk in step with the replicated jobs. On start it offers what its disk
/// holds to the cluster (so a full restart loses nothing); then it writes every change it sees, in batches,
/// and at once when the scheduler asks (a submission is answered only after it is on disk).
/// </summary>
public sealed partial class StateReplica : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);
    private readonly JobStore _store;
    private readonly ILogger _log;
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly UniqueAddress _self = Cluster.Get(Context.System).SelfUniqueAddress;
    private readonly Dictionary<string, long> _saved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobSnapshot> _unsaved = new(StringComparer.Ordinal);
    private readonly List<JobSnapshot> _local;
    /// <summary>Per replicated map (<see cref="ReplicatedJobs.Keys"/>), the job ids it held at its last change.</summary>
    private readonly Dictionary<string, HashSet<string>> _inMap = new(StringComparer.Ordinal);
    private string? _writeFailure;

    public StateReplica(JobStore store, string nodeName, ILogger log)
    {
        _store = store;
        _log = log;
        _nodeName = nodeName;
        _schedulerNodes = [.. store.LoadSchedulerNodes().Append(nodeName)];
        _local = store.LoadAll().ToList();
        foreach (var job in _local)
        {
            _saved[job.Id] = job.Version;
        }

        Receive<Changed>(OnChanged);
        Receive<SaveNow>(OnSaveNow);
        Receive<FlushNow>(_ => Flush());
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => _log.Warning("could not offer this node's stored jobs to the cluster: {Failure}", f));
        ReceiveMembership();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(JobStore store, string nodeName, ILogger log) => Akka.Actor.Props.Create(() => new StateReplica(store, nodeName, log));

    protected override void PreStart()
    {
        if (_local.Count > 0)
        {
            _log.Information("{Count} jobs read from {Path}", _local.Count, _store.Path);
            foreach (var (key, jobs) in ReplicatedJobs.ByKey(_local, j => j.Id))
            {
                _replicator.Tell(Dsl.Update(key, LWWDictionary<string, JobSnapshot>.Empty, WriteLocal.Instance,
                    map => jobs.Aggregate(map, (m, job) => m.With(_self, job))));
            }
        }

        foreach (var key in ReplicatedJobs.Keys)
        {
            _replicator.Tell(Dsl.Subscribe(key, Self));
        }

        SubscribeToMembership();
        Timers.StartPeriodicTimer("flush", FlushNow.Instance, FlushInterval);
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        Flush();
    }

    private void OnChanged(Changed changed)
    {
        if (changed.Data is not LWWDictionary<string, JobSnapshot> map)
        {
            return;
        }

        var entries = map.Entries;
        var removed = _inMap.GetValueOrDefault(changed.Key.Id, []).Where(id => !entries.ContainsKey(id)).ToList();
        _inMap[changed.Key.Id] = [.. entries.Keys];
        if (removed.Count > 0)
        {
            Delete(removed);
        }

        foreach (var (id, job) in entries)
        {
            if (_saved.GetValueOrDefault(id) < job.Version && (!_unsaved.TryGetValue(id, out var pending) || pending.Version < job.Version))
            {
                _unsaved[id] = job;
            }
        }
    }

    private void OnSaveNow(SaveNow save)
    {
        foreach (var job in save.Jobs)
        {
            _unsaved[job.Id] = job;
        }

        var ids = save.Jobs.Select(j => j.Id).ToList();
        Sender.Tell(Flush() is { } failure ? new SaveFailed(ids, _store.Path, failure) : new Saved(ids));
    }

    /// <summary>Null once the unsaved jobs are on disk; else why the disk refused them. They stay unsaved, and the next flush tries again.</summary>
    private string? Flush()
    {
        if (_unsaved.Count == 0)
        {
            return null;
        }

        var batch = _unsaved.Values.ToList();
        try
        {
            _store.Save(batch);
        }
        catch (Exception e) when (JobStore.IsWriteFailure(e))
        {
            var reason = e.Message.TrimEnd('.');
            if (_writeFailure != reason)
            {
                _log.Error("cannot write {Count} jobs to {Path}: {Reason}. Trying again every {Interval} ms; submissions are answered 503 meanwhile",
                    batch.Count, _store.Path, reason, FlushInterval.TotalMilliseconds);
            }

            _writeFailure = reason;
            return reason;
        }

        if (_writeFailure is not null)
        {
            _log.Information("{Path} is written again", _store.Path);
            _writeFailure = null;
        }

        foreach (var job in batch)
        {
            _saved[job.Id] = job.Version;
        }

        _unsaved.Clear();
        return null;
    }

    /// <summary>Jobs the scheduler removed (retention) leave this node's disk and what it would recover from.</summary>
    private void Delete(IReadOnlyList<string> jobIds)
    {
        foreach (var id in jobIds)
        {
            _unsaved.Remove(id);
            _saved.Remove(id);
        }

        var ids = jobIds.ToHashSet(StringComparer.Ordinal);
        _local.RemoveAll(j => ids.Contains(j.Id));
        try
        {
            _store.Delete(jobIds);
        }
        catch (Exception e) when (JobStore.IsWriteFailure(e))
        {
            _log.Warning("cannot delete {Count} removed jobs from {Path}: {Reason}. They stay on disk; a scheduler that recovers from it removes them again",
                jobIds.Count, _store.Path, e.Message);
        }
    }

    /// <summary>Write these jobs to disk now and answer <see cref="Saved"/>.</summary>
    public sealed record SaveNow(IReadOnlyList<JobSnapshot> Jobs);

    public sealed record Saved(IReadOnlyList<string> JobIds);

    /// <summary>The disk refused the jobs (Reason, as the engine put it); they stay queued and are written again.</summary>
    public sealed record SaveFailed(IReadOnlyList<string> JobIds, string Path, string Reason);

    private sealed record FlushNow
    {
        public static readonly FlushNow Instance = new();
    }
}
