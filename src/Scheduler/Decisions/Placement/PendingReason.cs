using Sched.Contracts.Quantities;

namespace Sched.Scheduler.Decisions.Placement;

/// <summary>Turns every node's rejection into one sentence a person can act on.</summary>
public static class PendingReason
{
    public static string Summarize(ShardRequest request, IReadOnlyList<Rejection> rejections)
    {
        if (rejections.Count == 0)
        {
            return "no nodes have joined yet";
        }

        var parts = new List<string>();
        var memory = rejections.Where(r => r.Kind == RejectionKind.Memory).ToList();
        if (memory.Count > 0)
        {
            var largest = memory.MaxBy(r => r.Free);
            parts.Add($"needs {Quantity.DescribeMemory(request.Resources.MemoryBytes)} memory; largest free is "
                + $"{Quantity.DescribeMemory(Math.Max(0, largest.Free))} on {largest.Node}");
        }

        var cpu = rejections.Where(r => r.Kind == RejectionKind.Cpu).ToList();
        if (cpu.Count > 0)
        {
            var largest = cpu.MaxBy(r => r.Free);
            parts.Add($"needs {Quantity.FormatCpus(request.Resources.MilliCpus)} cpus; largest free is "
                + $"{Quantity.FormatCpus((int)Math.Max(0, largest.Free))} on {largest.Node}");
        }

        AddCount(parts, rejections, RejectionKind.Constraint, "excluded by constraints");
        AddCount(parts, rejections, RejectionKind.MaxPerNode, "at maxShardsPerNode");
        foreach (var port in rejections.Where(r => r.Kind == RejectionKind.HostPort).GroupBy(r => r.Detail, StringComparer.Ordinal))
        {
            var nodes = port.Select(r => r.Node).ToList();
            parts.Add($"host port {port.Key} is in use on {nodes.Count} node{(nodes.Count == 1 ? "" : "s")} ({string.Join(", ", nodes)})");
        }

        foreach (var why in rejections.Where(r => r.Kind == RejectionKind.Unhealthy).GroupBy(r => r.Detail, StringComparer.Ordinal))
        {
            var nodes = why.Select(r => r.Node).ToList();
            parts.Add($"{nodes.Count} node{(nodes.Count == 1 ? "" : "s")} unhealthy ({string.Join(", ", nodes)})"
                + (why.Key is null ? "" : $": {why.Key}"));
        }

        return string.Join("; ", parts);
    }

    private static void AddCount(List<string> parts, IReadOnlyList<Rejection> rejections, RejectionKind kind, string what)
    {
        var nodes = rejections.Where(r => r.Kind == kind).Select(r => r.Node).ToList();
        if (nodes.Count > 0)
        {
            parts.Add($"{nodes.Count} node{(nodes.Count == 1 ? "" : "s")} {what} ({string.Join(", ", nodes)})");
        }
    }
}
