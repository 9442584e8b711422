using System.Collections.Immutable;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// Diffs what the scheduler assigned to a node with the containers the node's agent found. No I/O:
/// it returns what to keep and remove, and the events that bring the desired state in line.
/// </summary>
public static class Reconciler
{
    public static Reconciliation Reconcile(
        SchedulerState state, string node, IReadOnlyList<ContainerReport> found, IReadOnlyCollection<ShardAttemptId> supervised, DateTimeOffset now)
    {
        var keep = ImmutableArray.CreateBuilder<ContainerReport>();
        var remove = ImmutableArray.CreateBuilder<ContainerReport>();
        var exited = new List<ContainerReport>();
        var startAgain = new List<ShardAttemptId>();
        var events = new List<ISchedulerEvent>();
        foreach (var container in found)
        {
            var assigned = state.CurrentAttempt(container.Id) is { IsActive: true } shard && shard.Node == node ? shard : null;
            switch (assigned, container.Running)
            {
                case (not null, true):
                    keep.Add(container);
                    if (assigned.Status == ShardStatus.Placed)
                    {
                        events.Add(new ShardRunning(container.Id, container.ContainerId));
                    }

                    break;
                case (null, true):
                    remove.Add(container);
                    break;
                case (not null, false) when container.NeverStarted:
                    startAgain.Add(container.Id);
                    break;
                case (not null, false):
                    exited.Add(container);
                    break;
                case (null, false) when state.Job(container.Id.JobId) is null:
                    // Its job was removed (retention) while this node was away: the container goes, its log is archived.
                    remove.Add(container);
                    break;
                default:
                    break;
            }
        }

        events.AddRange(Vanished(state, node, found, supervised, now));
        startAgain.AddRange(NeverReceived(state, node, found, supervised));
        return new Reconciliation(keep.ToImmutable(), remove.ToImmutable(), exited, events, startAgain);
    }

    /// <summary>
    /// Placed (not yet running) attempts of this node that the agent neither supervises nor has a container of: the
    /// RunShard never arrived, or arrived at an agent that has since restarted. One that arrives after this inventory
    /// was taken is harmless to send again: the agent takes a RunShard it already has as a no-op.
    /// </summary>
    private static IEnumerable<ShardAttemptId> NeverReceived(
        SchedulerState state, string node, IReadOnlyList<ContainerReport> found, IReadOnlyCollection<ShardAttemptId> supervised)
    {
        var present = found.Select(c => c.Id).Concat(supervised).ToHashSet();
        return state.Jobs.Values.Where(j => !j.Stopped).SelectMany(j => j.Shards
            .Where(s => s.Status == ShardStatus.Placed && s.Node == node)
            .Select(s => new ShardAttemptId(j.Id, s.Shard, s.Attempt))
            .Where(id => !present.Contains(id)));
    }

    /// <summary>
    /// Running shards of this node whose container the agent neither found nor supervises: they died with the node.
    /// An attempt the agent supervises may have started after its inventory was taken, so it is never lost here.
    /// </summary>
    private static IEnumerable<ISchedulerEvent> Vanished(
        SchedulerState state, string node, IReadOnlyList<ContainerReport> found, IReadOnlyCollection<ShardAttemptId> supervised, DateTimeOffset now)
    {
        var present = found.Select(c => c.Id).Concat(supervised).ToHashSet();
        return state.Jobs.Values.Where(j => !j.Stopped).SelectMany(j => j.Shards
            .Where(s => s.Status == ShardStatus.Running && s.Node == node && !present.Contains(new ShardAttemptId(j.Id, s.Shard, s.Attempt)))
            .Select(s => (ISchedulerEvent)new ShardLost(new ShardAttemptId(j.Id, s.Shard, s.Attempt), node, now, At: now)));
    }
}

/// <summary>
/// Keep and Remove go to the agent. Exited are assigned shards whose container ended while nobody watched:
/// the scheduler judges them like any exit. Events (shards found running, shards gone) are applied as they are.
/// StartAgain are placed attempts the agent does not have going: their RunShard is sent again, unchanged.
/// </summary>
public sealed record Reconciliation(
    ImmutableArray<ContainerReport> Keep,
    ImmutableArray<ContainerReport> Remove,
    IReadOnlyList<ContainerReport> Exited,
    IReadOnlyList<ISchedulerEvent> Events,
    IReadOnlyList<ShardAttemptId> StartAgain);
