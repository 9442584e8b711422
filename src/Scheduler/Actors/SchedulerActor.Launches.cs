using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Actors;

/// <summary>
/// Starts that must arrive: every RunShard is watched until its agent acknowledges it, sent again while it is not,
/// and its attempt is lost and placed again after the deadline (<see cref="LaunchWatch"/>).
/// </summary>
public sealed partial class SchedulerActor
{
    private LaunchWatch? _launchWatch;

    private LaunchWatch Launches
    {
        get => _launchWatch ??= LaunchWatch.With(_settings.StartAck);
        set => _launchWatch = value;
    }

    private void ReceiveStartReports()
    {
        Receive<ShardAccepted>(m => Launches = Launches.Acknowledged(m.Id));
        Receive<ShardStarted>(OnShardStarted);
        Receive<ShardExited>(m => Ended(m.Id, AttemptEnd.Exited(m.ExitCode, m.OomKilled, m.TimedOut)));
        Receive<ShardStartFailed>(m => Ended(m.Id, AttemptEnd.FailedToStart(m.Reason, m.Permanent)));
        Receive<ShardFenced>(m => Ended(m.Id, AttemptEnd.Fenced(m.Reason)));
        Receive<CheckLaunches>(_ => OnCheckLaunches());
    }

    private void StartWatchingLaunches() =>
        Timers.StartPeriodicTimer("check-launches", CheckLaunches.Instance, _settings.StartAck.ResendEvery / 2);

    /// <summary>Sends the attempt's RunShard to its node and watches it until the agent acknowledges it.</summary>
    private void Launch(ShardAttemptId id, string node)
    {
        Launches = Launches.Sent(id, node, Now);
        if (_state.Job(id.JobId) is { } job && _agents.TryGetValue(node, out var agent))
        {
            agent.Tell(ShardLaunches.For(job, id, node));
        }
    }

    /// <summary>A late start of an attempt already given up (lost, replaced, stopped) is a second copy: it is removed.</summary>
    private void OnShardStarted(ShardStarted started)
    {
        Launches = Launches.Acknowledged(started.Id);
        if (SchedulerDecisions.IsStale(_state, started.Id, started.Node))
        {
            _log.Warning("{Attempt} started on {Node} but is no longer this shard's attempt there: removing its container", started.Id, started.Node);
            Sender.Tell(new StopShard(started.Id));
            return;
        }

        Handle(SchedulerDecisions.Started(_state, started.Id, started.ContainerId, started.Ports, Now));
    }

    private void Ended(ShardAttemptId id, AttemptEnd end)
    {
        Launches = Launches.Acknowledged(id);
        var events = SchedulerDecisions.Ended(_state, id, end, Now, _random.NextDouble());
        var before = _state.Job(id.JobId);
        Handle(events);
        if (events.OfType<ShardsStoppedEarly>().FirstOrDefault() is { } early && before is not null)
        {
            StopActiveShards(before, early.Reason);
        }
    }

    /// <summary>The job's attempts that were placed or running are stopped on their nodes, as `sched stop` stops them.</summary>
    private void StopActiveShards(JobRecord job, string reason)
    {
        _log.Warning("job {Job}: {Reason}; stopping its other shards", job.Id, reason);
        foreach (var shard in job.Shards.Where(s => s.IsActive && s.Node is not null))
        {
            if (_agents.TryGetValue(shard.Node!, out var agent))
            {
                agent.Tell(new StopShard(new ShardAttemptId(job.Id, shard.Shard, shard.Attempt)));
            }
        }
    }

    private void OnCheckLaunches()
    {
        var check = Launches.Check(_state, Now);
        Launches = check.Next;
        foreach (var (id, node) in check.Resend)
        {
            _log.Information("sending the start of {Attempt} to {Node} again: not acknowledged yet", id, node);
            Launch(id, node);
        }

        foreach (var lost in check.Lost.OfType<ShardLost>())
        {
            _log.Warning("{Attempt} is lost: {Why}; placing it again", lost.Id, lost.Why);
            if (_agents.TryGetValue(lost.Node, out var agent))
            {
                agent.Tell(new StopShard(lost.Id));
            }
        }

        if (check.Lost.Count > 0)
        {
            Handle(check.Lost);
        }
    }

    private sealed record CheckLaunches
    {
        public static readonly CheckLaunches Instance = new();
    }
}
