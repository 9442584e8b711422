using System.Collections.Immutable;
using System.Net;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Sched.Contracts.Messages;
using Sched.Contracts.Serialization;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Tests.Wire;

/// <summary>
/// Issue 14: no polymorphic deserialization from the network. An agent's actor system, built from the agent's own
/// configuration, reads frames only with sched's serializer and Akka's serializers of Akka's own messages.
/// </summary>
public sealed class ClosedSerializerSpecs : IAsyncLifetime
{
    // What a Newtonsoft frame naming a type of its choosing looks like: Akka's serializer id 1 with the type as manifest.
    private static readonly string ArbitraryType = $"{typeof(NetworkCredential).FullName}, {typeof(NetworkCredential).Assembly.GetName().Name}";
    private static readonly byte[] ArbitraryJson = Encoding.UTF8.GetBytes("""{"UserName":"built-from-the-wire","Domain":"example"}""");

    private ActorSystem _agent = null!;

    private Serialization Wire => _agent.Serialization;

    public Task InitializeAsync()
    {
        var config = new AgentConfig("node1", "127.0.0.1", 0, [], ["scheduler", "worker"], null, Path.GetTempPath(), "",
            ImmutableSortedDictionary<string, string>.Empty, AgentOptions.DefaultReservation, JoinSelf: false);
        _agent = ActorSystem.Create(ClusterHocon.SystemName, ClusterHocon.ConfigFor(config));
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _agent.Terminate();

    [Fact]
    public async Task Plain_Akka_builds_whatever_type_a_Newtonsoft_frame_names_which_is_what_sched_closes()
    {
        using var plain = ActorSystem.Create("plain", "akka.actor.provider = remote\nakka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }");
        try
        {
            var built = Assert.IsType<NetworkCredential>(plain.Serialization.Deserialize(ArbitraryJson, 1, ArbitraryType));
            Assert.Equal("built-from-the-wire", built.UserName);
        }
        finally
        {
            await plain.Terminate();
        }
    }

    [Theory]
    [InlineData(1, "Akka's Newtonsoft JSON")]
    [InlineData(2, "Akka's protobuf for any message type")]
    [InlineData(3, "Akka's remote deployment")]
    [InlineData(36, "Akka's reliable delivery")]
    public void A_frame_for_a_closed_serializer_builds_nothing_and_says_which_serializer_and_manifest(int id, string replaced)
    {
        var refused = Assert.Throws<SerializationException>(() => Wire.Deserialize(ArbitraryJson, id, ArbitraryType));

        Assert.Equal($"serializer id {id} ({replaced}) is closed in sched; the message, manifest '{ArbitraryType}', was not built", refused.Message);
    }

    [Fact]
    public void A_frame_with_a_serializer_id_nobody_registered_is_refused()
    {
        var refused = Assert.Throws<SerializationException>(() => Wire.Deserialize(ArbitraryJson, 7777, ArbitraryType));

        Assert.Contains("Cannot find serializer with id [7777]", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sched_frame_whose_manifest_names_no_sched_message_is_refused()
    {
        var refused = Assert.Throws<SerializationException>(() => Wire.Deserialize(ArbitraryJson, SchedMessageSerializer.SerializerId, ArbitraryType));

        Assert.Contains($"Unknown sched message manifest '{ArbitraryType}'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_that_is_neither_sched_s_nor_Akka_s_cannot_be_sent_and_the_error_names_its_type()
    {
        var message = new NetworkCredential("user", "secret");

        var refused = Assert.Throws<SerializationException>(() => Wire.FindSerializerFor(message).ToBinary(message));
        Assert.StartsWith("System.Net.NetworkCredential has no serializer in sched", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sched_messages_and_Akka_s_own_keep_their_serializers()
    {
        var expected = new Dictionary<Type, string>
        {
            [typeof(StopShard)] = nameof(SchedMessageSerializer),
            [typeof(Identify)] = "MiscMessageSerializer",
            [typeof(ActorSelectionMessage)] = "MessageContainerSerializer",
            [typeof(Akka.Cluster.Tools.PublishSubscribe.Publish)] = "DistributedPubSubMessageSerializer",
            [typeof(Akka.DistributedData.GCounter)] = "ReplicatedDataSerializer",
            [typeof(Akka.Cluster.Routing.ClusterRouterPool)] = "ClusterMessageSerializer",
            [typeof(string)] = "PrimitiveSerializers",
            [typeof(byte[])] = "ByteArraySerializer",
        };

        Assert.All(expected, kv => Assert.Equal(kv.Value, Wire.FindSerializerForType(kv.Key).GetType().Name));
    }
}
