using Akka.Actor;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>How HTTP handlers reach the scheduler singleton: one ask per request, with a bounded wait.</summary>
public sealed class SchedulerGateway(ActorSystem system, IActorRef schedulerProxy)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public ActorSystem System { get; } = system;

    public Task<T> Ask<T>(ISchedMessage message, CancellationToken ct) => schedulerProxy.Ask<T>(message, AskTimeout, ct);

    /// <summary>A message whose answers go to <paramref name="replyTo"/> (a streaming relay) rather than back here.</summary>
    public void Tell(ISchedMessage message, IActorRef replyTo) => schedulerProxy.Tell(message, replyTo);
}
