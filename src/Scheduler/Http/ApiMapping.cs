using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Contracts.Quantities;

namespace Sched.Scheduler.Http;

public static class ApiMapping
{
    public static JobDto ToDto(this JobView job) => new(
        job.Id,
        job.Spec.Name,
        job.Spec.Image,
        job.Status,
        job.Reason,
        job.SubmittedAt,
        Count(job),
        job.Shards.Select(ToDto).ToList(),
        ManifestWriter.ToJson(job.Spec),
        job.Runs is { } runs ? new PeriodicRunsDto(runs.NextRunAt, runs.LastRunAt, runs.LastRunId) : null,
        job.RunOf?.JobId,
        job.RunOf?.DueAt);

    public static ShardDto ToDto(this ShardRecord shard) => new(
        Shard: shard.Shard,
        Status: shard.Status,
        Attempt: shard.Attempt,
        Node: shard.Node ?? shard.LastNode,
        ContainerId: shard.ContainerId,
        ExitCode: shard.ExitCode,
        Reason: shard.Reason,
        RetryAt: shard.RetryAt,
        Outcome: shard.Outcome,
        Ports: shard.Ports,
        History: shard.History,
        RerunAfter: shard.RerunAfter);

    public static NodeDto ToDto(this NodeView node) => new(
        node.Name,
        node.Status,
        node.StatusReason,
        Capacity(node.Total),
        Capacity(node.Allocatable),
        Capacity(node.Allocated),
        Capacity(new NodeCapacity(
            node.Allocatable.MilliCpus - node.Allocated.MilliCpus,
            node.Allocatable.MemoryBytes - node.Allocated.MemoryBytes)),
        node.Labels,
        node.Shards,
        node.Address);

    private static CapacityDto Capacity(NodeCapacity c) =>
        new(c.MilliCpus / 1000.0, c.MemoryBytes, Quantity.DescribeMemory(c.MemoryBytes));

    private static ShardCountsDto Count(JobView job)
    {
        int Of(ShardStatus status) => job.Shards.Count(s => s.Status == status);
        return new ShardCountsDto(job.Shards.Length, Of(ShardStatus.Pending), Of(ShardStatus.Placed), Of(ShardStatus.Running),
            Of(ShardStatus.Succeeded), Of(ShardStatus.Failed), Of(ShardStatus.Stopped));
    }
}
