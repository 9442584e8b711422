using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;

using Sched.NodeActor.Agent;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Tests.Hosting;

/// <summary>
/// Issue 19 (--bind): a node listens on a local address and is known to the cluster by a name. Here the name is
/// "localhost" and the address 127.0.0.1 (no other name resolves in a test); a second node joins through the name.
/// </summary>
public sealed class BindAddressSpecs : LoopbackActorSystems
{
    [Fact]
    public async Task A_node_bound_to_an_address_is_a_member_under_its_name_and_another_node_joins_it_by_that_name()
    {
        var port = FreePort();
        var named = Start(new AgentConfig("node1", "localhost", port, [$"localhost:{port}"], ["scheduler", "worker"], null, Path.GetTempPath(), "",
            ImmutableSortedDictionary<string, string>.Empty, AgentOptions.DefaultReservation, JoinSelf: true)
        { Bind = "127.0.0.1" });
        var joining = Start(new AgentConfig("node2", "127.0.0.1", FreePort(), [$"localhost:{port}"], ["worker"], null, Path.GetTempPath(), "",
            ImmutableSortedDictionary<string, string>.Empty, AgentOptions.DefaultReservation, JoinSelf: false));

        await Until(() => Akka.Cluster.Cluster.Get(named).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 2, "the two nodes one cluster");

        Assert.Equal(("localhost", port), (Akka.Cluster.Cluster.Get(named).SelfAddress.Host, Akka.Cluster.Cluster.Get(named).SelfAddress.Port));
        Assert.Contains(Akka.Cluster.Cluster.Get(joining).State.Members, m => m.Address.Host == "localhost" && m.Address.Port == port);
    }

    [Fact]
    public void A_node_known_by_a_name_that_resolves_nowhere_here_still_listens_on_its_bind_address()
    {
        var port = FreePort();
        var system = Start(new AgentConfig("node1", "node1.sched-test.invalid", port, [], ["worker"], null, Path.GetTempPath(), "",
            ImmutableSortedDictionary<string, string>.Empty, AgentOptions.DefaultReservation, JoinSelf: false)
        { Bind = "127.0.0.1" });

        Assert.Equal(("node1.sched-test.invalid", port), (Akka.Cluster.Cluster.Get(system).SelfAddress.Host, Akka.Cluster.Cluster.Get(system).SelfAddress.Port));
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        Assert.True(client.Connected);
    }

    private ActorSystem Start(AgentConfig config)
    {
        return Track(ActorSystem.Create(ClusterHocon.SystemName, ClusterHocon.ConfigFor(config with { Tls = null })));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
