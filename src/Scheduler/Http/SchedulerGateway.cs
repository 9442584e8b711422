using Akka.Actor;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>How HTTP handlers reach the scheduler singleton: one ask per request, with a bounded wait.</summary>
public sealed class SchedulerGateway(IActorRef schedulerProxy)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public Task<T> Ask<T>(ISchedMessage message, CancellationToken ct) => schedulerProxy.Ask<T>(message, AskTimeout, ct);
}
