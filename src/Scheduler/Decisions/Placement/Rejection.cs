using Sched.Contracts.Quantities;

namespace Sched.Scheduler.Decisions.Placement;

public enum RejectionKind { Unhealthy, Memory, Cpu, Constraint, MaxPerNode, HostPort }

/// <summary>Why one node cannot take one shard. Kept as data and formatted only when someone reads it.</summary>
public readonly record struct Rejection(RejectionKind Kind, string Node, long Needed, long Free, string? Detail)
{
    public override string ToString() => Kind switch
    {
        RejectionKind.Unhealthy => $"{Node}: unhealthy ({Detail ?? "not answering"})",
        RejectionKind.Memory => $"{Node}: needs {Quantity.DescribeMemory(Needed)} memory, {Quantity.DescribeMemory(Math.Max(0, Free))} free",
        RejectionKind.Cpu => $"{Node}: needs {Quantity.FormatCpus((int)Needed)} cpus, {Quantity.FormatCpus((int)Math.Max(0, Free))} free",
        RejectionKind.Constraint => $"{Node}: excluded by constraint {Detail}",
        RejectionKind.HostPort => $"{Node}: host port {Detail} is in use",
        RejectionKind.MaxPerNode => $"{Node}: already runs {Free} shards of this job (maxShardsPerNode {Needed})",
        _ => $"{Node}: {Kind}",
    };
}
