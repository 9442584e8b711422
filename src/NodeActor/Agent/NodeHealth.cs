using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Agent;

/// <summary>
/// What the agent last learnt from its engine. Capacity is kept from the last good probe, and one failed
/// probe of a healthy engine is forgiven: a busy board answers slowly now and then.
/// </summary>
public sealed record NodeHealth(bool IsHealthy, NodeCapacity Total, string? Reason, int FailedProbes = 0)
{
    public static readonly NodeHealth Unknown = new(false, new NodeCapacity(0, 0), "engine not probed yet");

    /// <summary>An engine that answers but cannot limit a container is no place for a shard: it stays unhealthy, saying why.</summary>
    public NodeHealth Answered(EngineInfo info) =>
        new(info.LimitsUnenforceable is null, new NodeCapacity(info.Cores * 1000, info.MemoryBytes), info.LimitsUnenforceable);

    public NodeHealth Unhealthy(string error) =>
        IsHealthy && FailedProbes == 0
            ? this with { FailedProbes = 1 }
            : this with { IsHealthy = false, Reason = $"podman: {error}", FailedProbes = FailedProbes + 1 };

    public NodeCapacity AllocatableAfter(NodeCapacity reserved) => new(
        Math.Max(0, Total.MilliCpus - reserved.MilliCpus),
        Math.Max(0, Total.MemoryBytes - reserved.MemoryBytes));
}
