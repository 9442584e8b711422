using Akka.Actor;
using Serilog;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Logs a refused command once per sender and kind of message, then at most once a minute with the count since:
/// a stranger that keeps sending must not fill an SD card with log lines.
/// </summary>
internal sealed class RefusalLog(ILogger log)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);
    private readonly Dictionary<(Address Sender, string Kind), (DateTime LoggedAt, int Since)> _seen = [];

    public void Refused(IActorRef sender, string kind, string why)
    {
        var key = (sender.Path.Address, kind);
        var now = DateTime.UtcNow;
        if (_seen.TryGetValue(key, out var seen) && now - seen.LoggedAt < Quiet)
        {
            _seen[key] = seen with { Since = seen.Since + 1 };
            return;
        }

        log.Warning("refused {Kind} from {Sender}: {Why} ({Count} refused in all since the last line)",
            kind, sender.Path.ToString(), why, seen.Since + 1);
        _seen[key] = (now, 0);
    }
}
