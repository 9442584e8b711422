using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Failures;

/// <summary>
/// The boards are known by name (nodeK.local over mDNS). Here every agent listens on all interfaces (--bind 0.0.0.0)
/// and advertises nodeK.test (--host), which only this network's hosts file resolves; node3's own file maps its name
/// to 127.0.0.2, as NixOS does with its hostname, which broke an agent that listened where its name resolved.
/// </summary>
public sealed partial class PartitionSpecs
{
    [Fact]
    public async Task Agents_bound_to_all_interfaces_and_known_only_by_name_form_one_cluster()
    {
        await cluster.EnsureUp();
        var nodes = (await cluster.Sched("nodes")).Stdout;
        output.WriteLine(nodes);
        foreach (var (node, k) in All.Select((n, i) => (n, i + 1)))
        {
            Assert.Matches(new Regex($@"(?m)^{node}\s+up\s.*\s{node}\.test:{cluster.BasePort + k}\s*$"), nodes);
        }

        var node3 = cluster.Network.AddressOf("node3");
        var connections = await Processes.Must("ss", "-Htn", "state", "established", "dst", node3);
        output.WriteLine($"connections of node1 and node2 with node3 ({node3}):\n{connections}");
        Assert.NotEmpty(connections.Trim());
    }
}
