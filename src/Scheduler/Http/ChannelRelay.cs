using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>
/// The actor end of one streaming HTTP response: it receives log lines or job events and writes them into a
/// bounded channel the request handler reads. Writing to a channel is safe from any thread; the actor keeps no other
/// state. A reader slower than what arrives fills the channel; it is then dropped (the channel completes with
/// <see cref="ReaderTooSlowException"/>) rather than have the node hold what it cannot send.
/// </summary>
public sealed class ChannelRelay : ReceiveActor
{
    public const string EventsTopic = "sched-job-events";

    /// <summary>Items (job events or batches of log lines) waiting for one slow reader at most.</summary>
    public const int Capacity = 1024;

    private readonly TaskCompletionSource? _dropped;

    public ChannelRelay(ChannelWriter<object> output, bool subscribeToEvents, TaskCompletionSource? dropped = null)
    {
        _dropped = dropped;
        if (subscribeToEvents)
        {
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(EventsTopic, Self));
        }

        Receive<SubscribeAck>(_ => Write(output, Subscribed.Instance));
        Receive<JobEvent>(e => Write(output, e));
        Receive<LogLines>(l => Write(output, l));
        Receive<LogArchived>(a => Write(output, a));
        Receive<LogsEnded>(e =>
        {
            output.TryWrite(e);
            output.TryComplete();
            Context.Stop(Self);
        });
    }

    /// <summary><paramref name="dropped"/> completes the moment the reader is dropped, while it may still be writing what it read.</summary>
    public static Props Props(ChannelWriter<object> output, bool subscribeToEvents, TaskCompletionSource? dropped = null) =>
        Akka.Actor.Props.Create(() => new ChannelRelay(output, subscribeToEvents, dropped));

    public static Channel<object> NewChannel() =>
        Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private void Write(ChannelWriter<object> output, object item)
    {
        if (!output.TryWrite(item))
        {
            output.TryComplete(new ReaderTooSlowException());
            _dropped?.TrySetResult();
            Context.Stop(Self);
        }
    }

    /// <summary>Written once the event subscription is in place, so a watcher misses nothing after it.</summary>
    public sealed record Subscribed
    {
        public static readonly Subscribed Instance = new();
    }
}

/// <summary>The reader of a stream fell more than <see cref="ChannelRelay.Capacity"/> items behind.</summary>
public sealed class ReaderTooSlowException() : Exception(Reason)
{
    public static readonly string Reason = $"the reader fell {ChannelRelay.Capacity} items behind the stream and was dropped; reconnect to go on";
}
