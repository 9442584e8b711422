using System.Globalization;

namespace Sched.EndToEnd.Failures;

/// <summary>The cluster on a <see cref="PartitionNetwork"/>: node3 can be cut off from node1 and node2.</summary>
public sealed class PartitionCluster : Cluster
{
    public PartitionNetwork Network { get; } = new();

    protected override string AgentBinary => Path.Combine(Root, "sched-net");

    protected override async Task BeforeUp()
    {
        await Network.Create(Root);
        await Network.WriteAgentWrapper(Root, BasePort);
    }

    protected override Task AfterDown() => Network.Remove(Root);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"node1 {Network.AddressOf("node1")}:{BasePort + 1}, node2 {Network.AddressOf("node2")}:{BasePort + 2}, node3 {Network.AddressOf("node3")}:{BasePort + 3} in {Network.Namespace}");
}
