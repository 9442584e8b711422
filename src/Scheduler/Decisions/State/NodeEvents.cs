using System.Collections.Immutable;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// A node's state as watchers are told of it (`sched watch`, the dashboard): one event when it joins or its state
/// changes (up, unhealthy and why, unreachable, down), none while it stays as it was. The event has no job.
/// </summary>
public static class NodeEvents
{
    public const string Kind = "node";

    /// <summary>The events since <paramref name="known"/> (node → what was last told), and what is known after them.</summary>
    public static (IReadOnlyList<JobEvent> Events, ImmutableDictionary<string, string> Known) Changes(
        ImmutableDictionary<string, string> known, IEnumerable<NodeView> nodes, DateTimeOffset at)
    {
        var events = new List<JobEvent>();
        var now = known;
        foreach (var node in nodes)
        {
            var state = Describe(node);
            if (known.GetValueOrDefault(node.Name) != state)
            {
                events.Add(new JobEvent(at, "", null, null, Kind, node.Name, $"node {node.Name} is {state}"));
                now = now.SetItem(node.Name, state);
            }
        }

        return (events, now);
    }

    /// <summary>An unreachable node's reason counts the seconds since its last report: only its state is told, once.</summary>
    private static string Describe(NodeView node) =>
        node.Status == NodeStatus.Unhealthy && node.StatusReason is { } reason
            ? $"unhealthy: {reason}"
            : node.Status.ToString().ToLowerInvariant();
}
