using System.Collections.Immutable;
using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;
using Xunit.Abstractions;

namespace Sched.Scheduler.Tests.Http;

/// <summary>A stream's reader that falls behind is dropped; the node never holds more than the channel's capacity.</summary>
public sealed class ChannelRelaySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    [Fact]
    public async Task A_reader_that_falls_a_full_channel_behind_is_dropped_and_the_relay_stops()
    {
        var channel = ChannelRelay.NewChannel();
        var relay = Sys.ActorOf(ChannelRelay.Props(channel.Writer, subscribeToEvents: false));
        Watch(relay);

        for (var i = 0; i <= ChannelRelay.Capacity; i++)
        {
            relay.Tell(new LogLines(ImmutableArray.Create($"line {i}")));
        }

        await ExpectTerminatedAsync(relay);
        var read = 0;
        var error = await Assert.ThrowsAsync<ReaderTooSlowException>(async () =>
        {
            await foreach (var _ in channel.Reader.ReadAllAsync())
            {
                read++;
            }
        });
        Assert.Equal(ChannelRelay.Capacity, read);
        Assert.Contains("reconnect", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_that_keeps_up_gets_every_line_and_the_end()
    {
        var channel = ChannelRelay.NewChannel();
        var relay = Sys.ActorOf(ChannelRelay.Props(channel.Writer, subscribeToEvents: false));

        relay.Tell(new LogLines(["a", "b"]));
        relay.Tell(new LogsEnded(null));

        var items = new List<object>();
        await foreach (var item in channel.Reader.ReadAllAsync())
        {
            items.Add(item);
        }

        Assert.Equal(["a", "b"], Assert.IsType<LogLines>(items[0]).Lines.ToArray());
        Assert.IsType<LogsEnded>(items[1]);
    }
}
