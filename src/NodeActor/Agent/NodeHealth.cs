using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Agent;

/// <summary>What the agent last learnt from its engine. Capacity is kept from the last good probe.</summary>
public sealed record NodeHealth(bool IsHealthy, NodeCapacity Total, string? Reason)
{
    public static readonly NodeHealth Unknown = new(false, new NodeCapacity(0, 0), "engine not probed yet");

    public NodeHealth Healthy(EngineInfo info) => new(true, new NodeCapacity(info.Cores * 1000, info.MemoryBytes), null);

    public NodeHealth Unhealthy(string error) => this with { IsHealthy = false, Reason = $"podman: {error}" };

    public NodeCapacity AllocatableAfter(NodeCapacity reserved) => new(
        Math.Max(0, Total.MilliCpus - reserved.MilliCpus),
        Math.Max(0, Total.MemoryBytes - reserved.MemoryBytes));
}
