using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;
using Sched.Contracts;

namespace Sched.EndToEnd.Security;

/// <summary>A peer with a certificate from the cluster's own CA: let in by TLS, and still refused what is not its to do.</summary>
public sealed partial class RoguePeerSpecs
{
    [Fact]
    public async Task A_member_with_a_certificate_of_the_cluster_s_CA_that_is_not_the_scheduler_is_refused_RunShard_and_logged_once()
    {
        await using var rogue = await JoinedWithIssuedCertificate("rogue-worker");
        var job = $"rogue-worker-{Suffix()}";
        var agent = rogue.At(PortOf("node2"), ActorPaths.Agent.Path);

        var sender = rogue.System.ActorOf(Props.Create(() => new Inbox(new ConcurrentQueue<object>())));
        for (var i = 0; i < 3; i++)
        {
            agent.Tell(RunShardOf(job), sender);
        }

        // Without a sender, a remote message arrives as if from the agent's own node: it must not pass for local.
        agent.Tell(RunShardOf(job), ActorRefs.NoSender);
        agent.Tell(RunShardOf(job), ActorRefs.NoSender);

        // The agent reads its mailbox in order: once it has answered this, it has dealt with every RunShard above.
        await agent.Ask<ActorIdentity>(new Identify("after the RunShards"), TimeSpan.FromSeconds(30));
        var refused = $"refused RunShard from {rogue.Address}";
        var anonymous = "refused RunShard from akka://sched/deadLetters: it names no sender";
        await WaitForLine("node2", refused);
        await WaitForLine("node2", anonymous);
        Assert.Single(LinesWithAll("node2", refused));
        Assert.Single(LinesWithAll("node2", anonymous));
        Assert.Contains("it is not the scheduler of this node's cluster", LinesWithAll("node2", refused)[0], StringComparison.Ordinal);
        Assert.Empty(await cluster.ContainersOfJob(job));
        output.WriteLine(string.Join("\n", LinesWithAll("node2", "refused RunShard")));
    }

    [Fact]
    public async Task A_frame_naming_a_type_of_the_sender_s_choice_is_not_built_and_each_kind_of_frame_is_logged_once()
    {
        await using var rogue = await JoinedWithIssuedCertificate("rogue-wire", ForgedFrameSerializer.Hocon);
        var received = new ConcurrentQueue<object>();
        var inbox = rogue.System.ActorOf(Props.Create(() => new Inbox(received)));
        var agent = rogue.At(PortOf("node2"), ActorPaths.Agent.Path);

        // An Identify in Akka's Newtonsoft JSON, as plain Akka (json bound to System.Object) would build and answer it.
        var json = new NewtonSoftJsonSerializer((ExtendedActorSystem)rogue.System);
        var identify = $"{typeof(Identify).FullName}, {typeof(Identify).Assembly.GetName().Name}";
        for (var i = 0; i < 5; i++)
        {
            agent.Tell(new ForgedNewtonsoftFrame(json.ToBinary(new Identify($"forged {i}")), identify), inbox);
        }

        agent.Tell(new ForgedUnknownSerializerFrame(json.ToBinary(new Identify("unknown serializer")), identify), inbox);
        agent.Tell(new Identify("in the open"), inbox);

        // Answers come back in the order the frames went: this one last.
        await Wait.Until(() => received.OfType<ActorIdentity>().Any(a => Equals(a.MessageId, "in the open")), Patience, "node2's agent answers a plain Identify",
            () => Task.FromResult(string.Join(", ", received)));
        Assert.Equal(["in the open"], received.OfType<ActorIdentity>().Select(a => a.MessageId));

        var notBuilt = $"cluster: refused {rogue.Address}: message not built";
        await WaitForLine("node2", notBuilt);
        var lines = LinesWithAll("node2", notBuilt);
        Assert.Single(lines);
        Assert.Contains("serializer id 1 (Akka's Newtonsoft JSON) is closed in sched", lines[0], StringComparison.Ordinal);
        Assert.Contains(identify, lines[0], StringComparison.Ordinal);
        output.WriteLine(lines[0]);
    }
}
