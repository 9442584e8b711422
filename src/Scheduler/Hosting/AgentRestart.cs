using Akka.Actor;

namespace Sched.Scheduler.Hosting;

/// <summary>
/// Whether the agent starts a new actor system after its last one stopped by itself, and after how long. Two
/// reasons bring it back, each as a new incarnation that rejoins the cluster and adopts its running containers:
/// the cluster downed this node; or a TLS handshake this node started failed, which makes Akka.Remote (1.5.50 and
/// later) stop the whole system. The latter happens when a peer restarts mid-handshake (node1's `nixos-rebuild
/// switch` took node3's agent down with it), so it is retried, later each time it repeats; a certificate the
/// cluster's CA did not sign keeps failing, and the log says so each time.
/// </summary>
public static class AgentRestart
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);

    /// <summary>Akka.Remote's reason for it is internal (Akka.Remote.Transport.DotNetty.TlsHandshakeFailureReason).</summary>
    public static bool IsTlsHandshakeFailure(CoordinatedShutdown.Reason? reason) => reason?.GetType().Name == "TlsHandshakeFailureReason";

    /// <summary>A system that ran this long before it stopped starts the backoff over.</summary>
    public static readonly TimeSpan Settled = TimeSpan.FromMinutes(2);

    /// <summary>Null: the process exits. <paramref name="repeated"/> counts the restarts in a row that ran shorter than <see cref="Settled"/>.</summary>
    public static TimeSpan? After(CoordinatedShutdown.Reason? reason, int repeated) =>
        reason is CoordinatedShutdown.ClusterDowningReason ? First
        : IsTlsHandshakeFailure(reason) ? TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Clamp(repeated, 0, 10)))
        : null;
}
