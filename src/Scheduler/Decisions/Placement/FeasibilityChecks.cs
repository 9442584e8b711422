using Sched.Contracts.Jobs;

namespace Sched.Scheduler.Decisions.Placement;

/// <summary>One yes/no question about a node for a shard; null means feasible.</summary>
public delegate Rejection? FeasibilityCheck(NodeState node, ShardRequest request);

/// <summary>The feasibility checks, each one small rule. Placer runs them in the order listed there.</summary>
public static class FeasibilityChecks
{
    public static Rejection? Healthy(NodeState node, ShardRequest request) =>
        node.Snapshot.Healthy
            ? null
            : new Rejection(RejectionKind.Unhealthy, node.Snapshot.Name, 0, 0, node.Snapshot.HealthReason);

    public static Rejection? Memory(NodeState node, ShardRequest request) =>
        request.Resources.MemoryBytes <= node.FreeMemory
            ? null
            : new Rejection(RejectionKind.Memory, node.Snapshot.Name, request.Resources.MemoryBytes, node.FreeMemory, null);

    public static Rejection? Cpu(NodeState node, ShardRequest request) =>
        request.Resources.MilliCpus <= node.FreeMilliCpus
            ? null
            : new Rejection(RejectionKind.Cpu, node.Snapshot.Name, request.Resources.MilliCpus, node.FreeMilliCpus, null);

    public static Rejection? Constraints(NodeState node, ShardRequest request)
    {
        foreach (var constraint in request.Rules.Constraints)
        {
            var actual = node.Snapshot.Attribute(constraint.Attribute);
            var equal = string.Equals(actual, constraint.Value, StringComparison.Ordinal);
            if (equal != (constraint.Operator == ConstraintOperator.Equal))
            {
                return new Rejection(RejectionKind.Constraint, node.Snapshot.Name, 0, 0, constraint.ToString());
            }
        }

        return null;
    }

    public static Rejection? HostPorts(NodeState node, ShardRequest request)
    {
        if (!request.NeedsHostPorts)
        {
            return null;
        }

        foreach (var port in request.HostPorts)
        {
            if (node.HostPortInUse(port))
            {
                return new Rejection(RejectionKind.HostPort, node.Snapshot.Name, 0, 0, port);
            }
        }

        return null;
    }

    public static Rejection? MaxPerNode(NodeState node, ShardRequest request)
    {
        if (request.Rules.MaxShardsPerNode is not { } max)
        {
            return null;
        }

        var current = node.ShardsOf(request.Id.JobId);
        return current < max ? null : new Rejection(RejectionKind.MaxPerNode, node.Snapshot.Name, max, current, null);
    }
}
