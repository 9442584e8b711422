using System.Collections.Immutable;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>How often an unacknowledged RunShard is sent again, and when its attempt counts as lost.</summary>
public sealed record StartAckTimings(TimeSpan ResendEvery, TimeSpan Deadline)
{
    /// <summary>An agent acknowledges on receipt, before any engine call: seconds without one mean the message or the agent is gone.</summary>
    public static readonly StartAckTimings Default = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
}

/// <summary>A RunShard sent to a node and not yet acknowledged.</summary>
public sealed record UnacknowledgedStart(string Node, DateTimeOffset FirstSent, DateTimeOffset LastSent);

/// <summary>What a check of the watch found: the starts to send again, and the attempts to declare lost.</summary>
public sealed record LaunchCheck(LaunchWatch Next, IReadOnlyList<(ShardAttemptId Id, string Node)> Resend, IReadOnlyList<ISchedulerEvent> Lost);

/// <summary>
/// Akka delivers a message at most once: a RunShard can vanish (the agent restarted, the connection dropped), and
/// the shard would stay placed for ever. So every RunShard is watched until its agent acknowledges it; it is sent
/// again, unchanged (same attempt, same container name, which the agent treats as a no-op when it already has it),
/// and after the deadline the attempt is lost and placed again. The lost attempt's container, should it ever start,
/// is removed when its late start report arrives (<see cref="SchedulerDecisions.IsStale"/>).
/// </summary>
public sealed record LaunchWatch(ImmutableDictionary<ShardAttemptId, UnacknowledgedStart> Waiting, StartAckTimings Timings)
{
    public static LaunchWatch With(StartAckTimings timings) => new(ImmutableDictionary<ShardAttemptId, UnacknowledgedStart>.Empty, timings);

    /// <summary>A start was sent; a start sent again keeps its first time, so the deadline holds from the first.</summary>
    public LaunchWatch Sent(ShardAttemptId id, string node, DateTimeOffset now) =>
        this with
        {
            Waiting = Waiting.SetItem(id, Waiting.TryGetValue(id, out var earlier) && earlier.Node == node
                ? earlier with { LastSent = now }
                : new UnacknowledgedStart(node, now, now)),
        };

    /// <summary>The agent accepted or refused it, or reported on the attempt otherwise: it has it.</summary>
    public LaunchWatch Acknowledged(ShardAttemptId id) => Waiting.ContainsKey(id) ? this with { Waiting = Waiting.Remove(id) } : this;

    public LaunchCheck Check(SchedulerState state, DateTimeOffset now)
    {
        var waiting = Waiting.ToBuilder();
        var resend = new List<(ShardAttemptId, string)>();
        var lost = new List<ISchedulerEvent>();
        foreach (var (id, start) in Waiting)
        {
            if (state.CurrentAttempt(id) is not { Status: ShardStatus.Placed } shard || shard.Node != start.Node)
            {
                waiting.Remove(id);
            }
            else if (now - start.FirstSent >= Timings.Deadline)
            {
                waiting.Remove(id);
                lost.Add(new ShardLost(id, start.Node, now,
                    $"node {start.Node} did not acknowledge the start within {Timings.Deadline.TotalSeconds:0} s", now));
            }
            else if (now - start.LastSent >= Timings.ResendEvery)
            {
                waiting[id] = start with { LastSent = now };
                resend.Add((id, start.Node));
            }
        }

        return new LaunchCheck(this with { Waiting = waiting.ToImmutable() }, resend, lost);
    }
}
