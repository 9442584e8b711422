using System.Collections.Immutable;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>A fixed host port is a node resource: one shard holds it per node, and a shard finding it nowhere says so.</summary>
public class HostPortSpecs
{
    private static List<ShardRequest> Publishing(int count, string port = "18080/tcp", string jobId = "web") =>
        [.. Shards(count, jobId: jobId).Select(r => r with { HostPorts = [port] })];

    [Fact]
    public void Three_shards_wanting_one_host_port_on_two_nodes_place_two_and_the_third_waits_for_the_port()
    {
        var result = Placer.Place(Equal(2), Publishing(3));

        Assert.Equal(["node1", "node2"], result.Placed.Select(p => p.Node).Order(StringComparer.Ordinal));
        var waiting = Assert.Single(result.Unplaced);
        Assert.Equal("host port 18080/tcp is in use on 2 nodes (node1, node2)", waiting.Reason);
    }

    [Fact]
    public void Binpack_still_puts_no_two_shards_with_the_port_on_one_node()
    {
        var rules = Rules(Sched.Contracts.Jobs.PlacementStrategy.Binpack);
        var requests = Publishing(2).Select(r => r with { Rules = rules }).ToList();

        var result = Placer.Place(Equal(3), requests);

        Assert.Equal(2, result.Placed.Select(p => p.Node).Distinct().Count());
    }

    [Fact]
    public void A_node_where_another_job_holds_the_port_is_passed_over_and_another_port_is_no_obstacle()
    {
        var held = Node("node1") with { HostPorts = ImmutableDictionary<string, int>.Empty.Add("18080/tcp", 1) };
        var cluster = Of(held, Node("node2"));

        Assert.Equal("node2", Assert.Single(Placer.Place(cluster, Publishing(1)).Placed).Node);
        Assert.Equal(2, Placer.Place(cluster, Publishing(2, "9000/tcp")).Placed.Count);
    }
}
