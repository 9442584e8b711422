using System.Collections.Immutable;
using Akka.Actor;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Actors;

/// <summary>
/// The log of a shard of a job the scheduler no longer holds (retention removed it): every agent is asked which
/// attempt of the shard it holds a log of, and the one with the latest attempt streams it to the requester. An agent
/// that does not answer within <see cref="AnswerTimeout"/> is counted as holding none.
/// </summary>
public sealed class ArchivedLogLookup : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    private readonly StreamShardLogs _request;
    private readonly IActorRef _requester;
    private readonly ImmutableDictionary<string, IActorRef> _agents;
    private readonly HashSet<string> _waitingFor;
    private ShardLogHeld? _latest;

    public ArchivedLogLookup(StreamShardLogs request, IActorRef requester, ImmutableDictionary<string, IActorRef> agents)
    {
        _request = request;
        _requester = requester;
        _agents = agents;
        _waitingFor = [.. agents.Keys];
        Receive<ShardLogHeld>(OnHeld);
        Receive<GiveUp>(_ => Finish());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(StreamShardLogs request, IActorRef requester, ImmutableDictionary<string, IActorRef> agents) =>
        Akka.Actor.Props.Create(() => new ArchivedLogLookup(request, requester, agents));

    protected override void PreStart()
    {
        foreach (var agent in _agents.Values)
        {
            agent.Tell(new FindShardLog(_request.JobId, _request.Shard));
        }

        Timers.StartSingleTimer("give-up", GiveUp.Instance, AnswerTimeout);
        if (_waitingFor.Count == 0)
        {
            Finish();
        }
    }

    private void OnHeld(ShardLogHeld held)
    {
        _waitingFor.Remove(held.Node);
        if (held.Attempt is { } attempt && (_latest?.Attempt is not { } latest || attempt > latest))
        {
            _latest = held;
        }

        if (_waitingFor.Count == 0)
        {
            Finish();
        }
    }

    private void Finish()
    {
        if (_latest is { Attempt: { } attempt } && _agents.TryGetValue(_latest.Node, out var agent))
        {
            agent.Tell(new StreamContainerLogs(new ShardAttemptId(_request.JobId, _request.Shard, attempt).ContainerName, _request.Follow), _requester);
        }
        else
        {
            var silent = _waitingFor.Count > 0 ? $" ({string.Join(", ", _waitingFor.Order(StringComparer.Ordinal))} did not answer)" : "";
            _requester.Tell(new LogsEnded(
                $"no job {_request.JobId}, and no node holds a log of its shard {_request.Shard}{silent}: it never existed, or it was removed and its log archive let it go"));
        }

        Context.Stop(Self);
    }

    private sealed record GiveUp
    {
        public static readonly GiveUp Instance = new();
    }
}
