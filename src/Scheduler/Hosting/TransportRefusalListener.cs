using Akka.Actor;
using Akka.Event;

namespace Sched.Scheduler.Hosting;

/// <summary>Reads Akka's warnings and errors and reports the refusals among them through <see cref="ClusterRefusals"/>.</summary>
public sealed class TransportRefusalListener : ReceiveActor
{
    public TransportRefusalListener(ClusterRefusals refusals)
    {
        Receive<LogEvent>(e =>
        {
            if (TransportLogEvents.RefusalIn(e) is { } refusal)
            {
                refusals.Refused(refusal.Peer, refusal.Kind, refusal.Why);
            }
        });
    }

    public static Props Props(ClusterRefusals refusals) => Akka.Actor.Props.Create(() => new TransportRefusalListener(refusals));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(Warning));
        Context.System.EventStream.Subscribe(Self, typeof(Error));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
