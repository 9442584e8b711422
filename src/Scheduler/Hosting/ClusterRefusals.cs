using System.Text.RegularExpressions;
using Sched.NodeActor.Agent;
using Serilog;

namespace Sched.Scheduler.Hosting;

/// <summary>
/// One line per refused cluster peer and kind of refusal (a certificate not of this cluster, no TLS, a message this
/// node does not build), then at most one a minute with the count since. Keyed by the peer's host, not its port: a
/// peer that retries dials from a new port every time. Called from DotNetty's threads and from actors alike.
/// </summary>
public sealed partial class ClusterRefusals(ILogger log)
{
    private readonly RepeatGate<(string Host, string Kind)> _gate = new(TimeSpan.FromMinutes(1));

    /// <param name="peer">As the transport names it: <c>[::ffff:10.0.0.5]:41234</c>, <c>10.0.0.5:41234</c> or an Akka address.</param>
    /// <param name="kind">What kind of refusal, for counting; part of the line.</param>
    /// <param name="why">What was wrong, in words a person can act on.</param>
    public void Refused(string peer, string kind, string why)
    {
        if (_gate.Pass((HostOf(peer), kind), DateTime.UtcNow, out var count))
        {
            log.Warning("cluster: refused {Peer}: {Kind}: {Why} ({Count} refused in all from this host since the last line)", peer, kind, why, count);
        }
    }

    /// <summary>The host part of a peer's name, without the IPv4-in-IPv6 prefix DotNetty's dual-stack sockets add.</summary>
    public static string HostOf(string peer)
    {
        var match = HostPattern().Match(peer);
        var host = match.Success ? match.Groups["host"].Value : peer;
        return host.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase) ? host["::ffff:".Length..] : host;
    }

    // "[::ffff:127.0.0.1]:41234", "127.0.0.1:41234", "akka.ssl.tcp://sched@node2:4053/user/agent", "ssl.tcp://sched@[::1]:4053"
    [GeneratedRegex(@"^(?:[\w.]+://[^@/]+@)?(?:\[(?<host>[^\]]+)\]|(?<host>[^:/\[\]]+))(?::\d+)?(?:/.*)?$")]
    private static partial Regex HostPattern();
}
