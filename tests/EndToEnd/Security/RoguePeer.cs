using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using Sched.Contracts.Serialization;

namespace Sched.EndToEnd.Security;

/// <summary>
/// An actor system that is not one of the cluster's agents: it lives in the test process, but it listens on its own
/// loopback port and reaches the agents over real TCP, exactly as a program on another machine would. It speaks
/// sched's wire (the same serializer and message names), trusts any server certificate, and carries whatever
/// certificate it is given: its own self-signed one, one the cluster's CA issued, or none (no TLS at all).
/// </summary>
public sealed class RoguePeer : IAsyncDisposable
{
    private RoguePeer(ActorSystem system, bool tls)
    {
        System = system;
        Tls = tls;
    }

    public ActorSystem System { get; }

    public bool Tls { get; }

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <summary>This rogue's own address, as the agents see it when it reaches them.</summary>
    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    /// <summary>TLS with a certificate of its own making (CN=<paramref name="name"/>), which no cluster CA signed.</summary>
    public static RoguePeer SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Start(X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null), roles: [], extraHocon: "");
    }

    /// <summary>TLS with the certificate and key `sched cert issue` wrote into <paramref name="nodeDir"/>: one the cluster's CA signed.</summary>
    public static RoguePeer Issued(string nodeDir, IReadOnlyList<string> roles, string extraHocon = "") =>
        Start(X509Certificate2.CreateFromPemFile(Path.Combine(nodeDir, "node.crt"), Path.Combine(nodeDir, "node.key")), roles, extraHocon);

    /// <summary>No TLS: Akka's plain TCP transport, as an agent started with --insecure-cluster speaks it.</summary>
    public static RoguePeer Plaintext() => Start(null, roles: [], extraHocon: "");

    /// <summary>The actor at <paramref name="path"/> (e.g. /user/agent) of the agent that listens on <paramref name="port"/>.</summary>
    public ActorSelection At(int port, string path) => System.ActorSelection($"{AgentAddress(port)}{path}");

    public Address AgentAddress(int port) => new(Tls ? "akka.ssl.tcp" : "akka.tcp", "sched", "127.0.0.1", port);

    /// <summary>Asks to join the cluster through the agent on <paramref name="seedPort"/>, as a new node would.</summary>
    public void Join(int seedPort) => Cluster.JoinSeedNodes([AgentAddress(seedPort)]);

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await System.WhenTerminated;
    }

    private static RoguePeer Start(X509Certificate2? certificate, IReadOnlyList<string> roles, string extraHocon)
    {
        var hocon = ConfigurationFactory.ParseString($$"""
            akka {
              # What the rogue itself goes through is not under test; the agents' logs are.
              loglevel = OFF
              stdout-loglevel = OFF
              log-dead-letters = off
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = 127.0.0.1
                port = 0
                enable-ssl = {{(certificate is null ? "off" : "on")}}
              }
              cluster.roles = [{{string.Join(", ", roles.Select(r => $"\"{r}\""))}}]
              coordinated-shutdown.exit-clr = off
            }
            {{SchedSerialization.Hocon}}
            {{extraHocon}}
            """);
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(hocon));
        if (certificate is not null)
        {
            // A rogue is not choosy: it takes any agent's certificate. Whether the agent takes the rogue's is the question.
            setup = setup.And(new DotNettySslSetup(certificate, suppressValidation: true, requireMutualAuthentication: true,
                validateCertificateHostname: false, customValidator: (_, _, _, _, _) => true));
        }

        return new RoguePeer(ActorSystem.Create("sched", setup), certificate is not null);
    }
}
