using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>
/// The actor end of one streaming HTTP response: it receives log lines or job events and writes them into a
/// channel the request handler reads. Writing to a channel is safe from any thread; the actor keeps no other state.
/// </summary>
public sealed class ChannelRelay : ReceiveActor
{
    public const string EventsTopic = "sched-job-events";

    public ChannelRelay(ChannelWriter<object> output, bool subscribeToEvents)
    {
        if (subscribeToEvents)
        {
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(EventsTopic, Self));
        }

        Receive<SubscribeAck>(_ => output.TryWrite(Subscribed.Instance));
        Receive<JobEvent>(e => output.TryWrite(e));
        Receive<LogLines>(l => output.TryWrite(l));
        Receive<LogsEnded>(e =>
        {
            output.TryWrite(e);
            output.TryComplete();
            Context.Stop(Self);
        });
    }

    public static Props Props(ChannelWriter<object> output, bool subscribeToEvents) =>
        Akka.Actor.Props.Create(() => new ChannelRelay(output, subscribeToEvents));

    /// <summary>Written once the event subscription is in place, so a watcher misses nothing after it.</summary>
    public sealed record Subscribed
    {
        public static readonly Subscribed Instance = new();
    }
}
