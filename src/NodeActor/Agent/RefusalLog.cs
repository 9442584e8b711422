using Akka.Actor;
using Serilog;

namespace Sched.NodeActor.Agent;

/// <summary>Logs a refused command once per sender and kind of message, then at most once a minute with the count since.</summary>
internal sealed class RefusalLog(ILogger log)
{
    private readonly RepeatGate<(Address Sender, string Kind)> _gate = new(TimeSpan.FromMinutes(1));

    public void Refused(IActorRef sender, string kind, string why)
    {
        if (_gate.Pass((sender.Path.Address, kind), DateTime.UtcNow, out var count))
        {
            log.Warning("refused {Kind} from {Sender}: {Why} ({Count} refused in all since the last line)",
                kind, sender.Path.ToString(), why, count);
        }
    }
}
