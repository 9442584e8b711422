using Akka.Actor;

namespace Sched.Scheduler.Hosting;

/// <summary>Why an agent's actor system stops, in the operator's words: the log line that answers "why did it go?".</summary>
public static class ShutdownReasons
{
    public static string Describe(CoordinatedShutdown.Reason? reason) => reason switch
    {
        CoordinatedShutdown.ClrExitReason => "the process was asked to stop (SIGTERM, systemctl stop or restart)",
        CoordinatedShutdown.ClusterDowningReason => "the cluster downed this node",
        CoordinatedShutdown.ClusterLeavingReason => "the cluster moved this node to exiting: a leave was asked for it",
        CoordinatedShutdown.ClusterJoinUnsuccessfulReason => "it could not join the cluster",
        _ when AgentRestart.IsTlsHandshakeFailure(reason) => "a TLS handshake it started with a peer failed, and Akka.Remote stops the whole system on that "
            + "(a peer that restarted mid-handshake, or a certificate the cluster's CA did not sign: see the error above)",
        null => "no reason given",
        _ => reason.GetType().Name,
    };
}
