using System.Reflection;
using Akka.Actor;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Tests.Hosting;

/// <summary>When an agent whose actor system stopped by itself starts a new one, and when the process exits.</summary>
public sealed class AgentRestartSpecs
{
    /// <summary>Akka.Remote's own reason, made as Akka makes it: the test fails if an Akka upgrade renames or drops it.</summary>
    private static CoordinatedShutdown.Reason TlsHandshakeFailure()
    {
        var type = typeof(Akka.Remote.RemoteSettings).Assembly.GetType("Akka.Remote.Transport.DotNetty.TlsHandshakeFailureReason");
        Assert.NotNull(type);
        return (CoordinatedShutdown.Reason)Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
            ["TLS handshake failed on channel [127.0.0.1:40000->127.0.0.1:4053]"], null)!;
    }

    [Fact]
    public void A_downed_node_rejoins_after_2_s_every_time() =>
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)],
            new[] { 0, 5 }.Select(n => AgentRestart.After(CoordinatedShutdown.ClusterDowningReason.Instance, n)));

    [Fact]
    public void A_failed_tls_handshake_restarts_the_system_later_each_time_it_repeats_up_to_a_minute()
    {
        var reason = TlsHandshakeFailure();

        Assert.Equal([2, 4, 8, 16, 32, 60, 60], new[] { 0, 1, 2, 3, 4, 5, 50 }.Select(n => AgentRestart.After(reason, n)!.Value.TotalSeconds));
        Assert.StartsWith("a TLS handshake it started with a peer failed", ShutdownReasons.Describe(reason), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stop_asked_for_or_a_leave_ends_the_process() =>
        Assert.All(new CoordinatedShutdown.Reason?[] { CoordinatedShutdown.ClrExitReason.Instance, CoordinatedShutdown.ClusterLeavingReason.Instance, null },
            reason => Assert.Null(AgentRestart.After(reason, 0)));
}
