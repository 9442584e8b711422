using Sched.Contracts.Serialization;
using Sched.Contracts.Tests.Serialization.Clashing;
using Xunit.Abstractions;

namespace Sched.Contracts.Tests.Serialization;

/// <summary>Messages declared in another assembly travel through the same serializer when its context is named.</summary>
public sealed class MessageCatalogTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(SchedSerialization.Hocon + "\n" + SchedSerialization.MessageContext("tests", typeof(OtherAssemblyJsonContext)), output)
{
    [Fact]
    public void A_message_of_another_assembly_round_trips_under_its_short_name()
    {
        var message = new QueueDepth("pending", 7, new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));

        var serializer = Assert.IsType<SchedMessageSerializer>(Sys.Serialization.FindSerializerFor(message));
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var bytes = serializer.ToBinary(message);

        Assert.Equal(nameof(QueueDepth), manifest);
        Assert.Equal("""{"queue":"pending","depth":7,"since":"2025-03-14T09:26:53+00:00"}""", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(message, Sys.Serialization.Deserialize(bytes, SchedMessageSerializer.SerializerId, manifest));
    }

    [Fact]
    public void The_contracts_messages_stay_readable_next_to_another_assemblys()
    {
        var message = new Sched.Contracts.Messages.StopJob("j-1");
        var serializer = Assert.IsType<SchedMessageSerializer>(Sys.Serialization.FindSerializerFor(message));

        Assert.Equal(message, Sys.Serialization.Deserialize(serializer.ToBinary(message), SchedMessageSerializer.SerializerId, nameof(Sched.Contracts.Messages.StopJob)));
    }

    [Fact]
    public void Without_its_context_a_node_refuses_another_assemblys_message()
    {
        Assert.False(MessageCatalog.Contracts.TryResolve(nameof(QueueDepth), out _));
    }

    [Fact]
    public void Two_messages_with_one_short_name_are_refused_naming_both()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => new MessageCatalog([.. MessageCatalog.Contracts.Contexts, ClashingJsonContext.Default]));

        Assert.Contains(typeof(StopJob).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Sched.Contracts.Messages.StopJob).FullName!, error.Message, StringComparison.Ordinal);
    }
}
