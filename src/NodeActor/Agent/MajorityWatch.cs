using Akka.Actor;
using Akka.Cluster;
using Serilog;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Watches whether this node can still reach a majority of the cluster. Cut off for longer than fenceAfter,
/// the node will be downed by the other side, which then places its shards elsewhere: so the agent fences
/// first, stopping its containers, and no shard runs twice.
/// </summary>
public sealed class MajorityWatch : ReceiveActor, IWithTimers
{
    private const string FenceTimer = "fence";
    private readonly IActorRef _agent;
    private readonly TimeSpan _fenceAfter;
    private readonly ILogger _log;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private bool _cutOff;

    public MajorityWatch(IActorRef agent, TimeSpan fenceAfter, ILogger log)
    {
        _agent = agent;
        _fenceAfter = fenceAfter;
        _log = log;
        Receive<ClusterEvent.IReachabilityEvent>(_ => Evaluate());
        Receive<ClusterEvent.IMemberEvent>(_ => Evaluate());
        Receive<StillCutOff>(_ => FenceIfStillCutOff());
        Receive<Recheck>(_ => Evaluate());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef agent, TimeSpan fenceAfter, ILogger log) =>
        Akka.Actor.Props.Create(() => new MajorityWatch(agent, fenceAfter, log));

    /// <summary>
    /// Cluster.State is updated by another subscriber and can lag the event just received, so the view is also
    /// checked again four times a second: a late look would fence after the majority has moved the shards.
    /// </summary>
    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer("recheck", Recheck.Instance, TimeSpan.FromMilliseconds(250));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private bool CutOff()
    {
        var state = _cluster.State;
        var members = state.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.WeaklyUp)
            .Select(m => m.Address.ToString()).ToList();
        var unreachable = state.Unreachable.Select(m => m.Address.ToString()).ToHashSet();
        return members.Count > 1 && Quorum.IsCutOff(members, unreachable);
    }

    private void Evaluate()
    {
        var cutOff = CutOff();
        if (cutOff != _cutOff)
        {
            _cutOff = cutOff;
            _agent.Tell(cutOff ? MajorityLost.Instance : MajorityRegained.Instance);
        }

        if (cutOff && !Timers.IsTimerActive(FenceTimer))
        {
            _log.Warning("this node cannot reach a majority of the cluster; fencing in {FenceAfter} unless that changes", _fenceAfter);
            Timers.StartSingleTimer(FenceTimer, StillCutOff.Instance, _fenceAfter);
        }
        else if (!cutOff && Timers.IsTimerActive(FenceTimer))
        {
            _log.Information("this node reaches a majority of the cluster again");
            Timers.Cancel(FenceTimer);
        }
    }

    private void FenceIfStillCutOff()
    {
        if (CutOff())
        {
            _agent.Tell(new Fence($"cut off from the cluster majority for {_fenceAfter.TotalSeconds:0.#}s"));
        }
    }

    private sealed record Recheck
    {
        public static readonly Recheck Instance = new();
    }

    private sealed record StillCutOff
    {
        public static readonly StillCutOff Instance = new();
    }
}
