using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Security;

/// <summary>
/// Issue 14, acceptance 1, and the closed wire: strangers on the cluster port of the shared three-node TLS cluster
/// (deploy/local-cluster.sh, real agents, real podman). Each rogue is an actor system of its own on a loopback port of
/// its own (<see cref="RoguePeer"/>); what ran is read from the nodes' podman stores, who is a member from the cluster's
/// own gossip, and what was refused from the agents' logs.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed partial class RoguePeerSpecs(Cluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_self_signed_peer_and_a_plaintext_peer_neither_join_nor_run_a_shard_and_each_node_they_dialled_logs_the_refusal()
    {
        await using var selfSigned = RoguePeer.SelfSigned("rogue-self-signed");
        await using var plaintext = RoguePeer.Plaintext();
        var jobs = new[] { $"rogue-self-signed-{Suffix()}", $"rogue-plaintext-{Suffix()}" };
        var rogues = new[] { selfSigned, plaintext }.Zip(jobs).ToArray();
        foreach (var (rogue, _) in rogues)
        {
            rogue.Join(PortOf("node1"));
        }

        // A stranger dials again and again, as the joins to node1 do. A dial sometimes broke off in the TLS handshake
        // on a loaded machine ("Channel is closed") before the node had the certificate to refuse, and that rogue
        // never dialled that node again (seen for node1 and for node2): every 10 s without the refusal, a new
        // self-signed rogue dials the node too.
        string[] selfSignedRefusal = ["cluster: refused", "certificate not of this cluster", "CN=rogue-self-signed"];
        var freshRogues = new List<RoguePeer>();
        var nextDial = DateTime.MinValue;
        var nextFreshRogue = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        Action DialAgain(string node) => () =>
        {
            if (DateTime.UtcNow < nextDial)
            {
                return;
            }

            nextDial = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            foreach (var (rogue, job) in rogues)
            {
                rogue.At(PortOf("node2"), ActorPaths.Agent.Path).Tell(RunShardOf(job));
            }

            if (DateTime.UtcNow >= nextFreshRogue && LinesWithAll(node, selfSignedRefusal).Count == 0)
            {
                nextFreshRogue = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                var fresh = RoguePeer.SelfSigned("rogue-self-signed");
                freshRogues.Add(fresh);
                fresh.At(PortOf(node), ActorPaths.Agent.Path).Tell(RunShardOf(jobs[0]));
            }
        };

        try
        {
            foreach (var node in new[] { "node1", "node2" })
            {
                DialAgain(node)();
                await WaitForLine(node, DialAgain(node), selfSignedRefusal);
                await WaitForLine(node, DialAgain(node), "cluster: refused", "no TLS: it does not speak TLS");
            }

            output.WriteLine($"{freshRogues.Count} more self-signed rogues dialled before both nodes logged the refusal");
            Assert.All(freshRogues, r => Assert.False(r.Cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, "a fresh self-signed rogue became a member"));
        }
        finally
        {
            foreach (var fresh in freshRogues)
            {
                await fresh.DisposeAsync();
            }
        }

        Assert.False(selfSigned.Cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, "the self-signed rogue became a member");
        Assert.False(plaintext.Cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, "the plaintext rogue became a member");
        await using var observer = await JoinedWithIssuedCertificate("observer");
        Assert.Equal(AgentAddresses(), MembersOtherThan(observer));
        foreach (var job in jobs)
        {
            Assert.Empty(await cluster.ContainersOfJob(job));
        }

        output.WriteLine(string.Join("\n", cluster.LogLines("node1", "cluster: refused")));
    }

    /// <summary>A RunShard as the scheduler would send it: a container that would keep running, so it could not go unseen.</summary>
    private static RunShard RunShardOf(string job) => new(
        new ShardAttemptId(job, 1, 1), "sched-test-busybox", ["sleep", "3600"],
        ImmutableSortedDictionary<string, string>.Empty.Add("ROGUE", job),
        ImmutableSortedDictionary<string, string>.Empty, 32L * 1024 * 1024, 100);

    private int PortOf(string node) => cluster.BasePort + int.Parse(node["node".Length..], CultureInfo.InvariantCulture);

    /// <summary>host:port of every agent the cluster has started (node1..node3, and node4 once a test added it).</summary>
    private string[] AgentAddresses() => [.. cluster.Nodes.Select(n => $"127.0.0.1:{PortOf(n)}").Order(StringComparer.Ordinal)];

    private static string[] MembersOtherThan(RoguePeer observer) =>
    [
        .. observer.Cluster.State.Members.Where(m => m.Address != observer.Address)
            .Select(m => $"{m.Address.Host}:{m.Address.Port}").Order(StringComparer.Ordinal),
    ];

    /// <summary>
    /// A peer with a certificate the cluster's CA issued (`sched cert issue`, as a person would make one for a new node),
    /// joined as a worker and up: it is a member by the rules of TLS, and nothing more.
    /// </summary>
    private async Task<RoguePeer> JoinedWithIssuedCertificate(string name, string extraHocon = "")
    {
        var tlsDir = Path.Combine(cluster.DataDir, "tls");
        var issue = await Processes.RunAsync(Repo.SchedBinary, ["cert", "issue", name, "--dir", tlsDir, "--san", "127.0.0.1"]);
        Assert.True(issue.ExitCode == 0, issue.ToString());
        var rogue = RoguePeer.Issued(Path.Combine(tlsDir, name), [ClusterRoles.Worker], extraHocon);
        rogue.Join(PortOf("node1"));
        await Wait.Until(() => rogue.Cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, Patience, $"{name} is up in the cluster",
            () => Task.FromResult(rogue.Cluster.State.ToString() ?? ""));
        await Wait.Until(() => MembersOtherThan(rogue).Length == cluster.Nodes.Count, Patience, $"{name} sees every agent",
            () => Task.FromResult(string.Join(", ", MembersOtherThan(rogue))));
        return rogue;
    }

    private Task WaitForLine(string node, params string[] words) => WaitForLine(node, () => { }, words);

    /// <summary>Waits for the line, calling <paramref name="meanwhile"/> at every look.</summary>
    private async Task WaitForLine(string node, Action meanwhile, params string[] words) =>
        await Wait.Until(
            () =>
            {
                meanwhile();
                return LinesWithAll(node, words).Count > 0;
            },
            Patience, $"{node} logs a line with {string.Join(" + ", words)}", () => Task.FromResult(cluster.LogTail(node, 20)));

    private List<string> LinesWithAll(string node, params string[] words) =>
        [.. cluster.LogLines(node, words[0]).Where(l => words.All(w => l.Contains(w, StringComparison.Ordinal)))];

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>Keeps what an agent sends back to a rogue, in order.</summary>
    private sealed class Inbox : ReceiveActor
    {
        public Inbox(ConcurrentQueue<object> received) => ReceiveAny(received.Enqueue);
    }
}
