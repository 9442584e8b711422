using System.Runtime.Serialization;
using System.Security.Authentication;
using Akka.Event;
using Sched.Scheduler.Hosting;
using AkkaError = Akka.Event.Error;
using AkkaWarning = Akka.Event.Warning;

namespace Sched.Scheduler.Tests.Hosting;

/// <summary>
/// Akka's lines about refused peers and frames, as Akka.Remote 1.5.74 writes them (seen on a real TLS port), become
/// one <see cref="TransportRefusal"/> each, naming the peer; the rest of what Akka logs is left alone.
/// </summary>
public sealed class TransportLogEventsSpecs
{
    private const string Server = "[::ffff:127.0.0.1]:4053";
    private const string Client = "[::ffff:127.0.0.1]:56366";

    [Fact]
    public void A_plaintext_peer_on_the_TLS_port_is_reported_once_though_DotNetty_logs_it_twice()
    {
        var notTls = new DotNetty.Handlers.Tls.NotSslRecordException("not an SSL/TLS record: 2c000000");
        var caught = ServerError(notTls, "Error caught channel [{0}->{1}](Id={2})", Server, Client, "099ec3e0");
        var handshake = ServerError(notTls, "TLS handshake failed on channel [{0}->{1}](Id={2})\n{3}", Server, Client, "099ec3e0", "troubleshooting text");

        Assert.True(TransportLogEvents.IsTakenOver(caught));
        Assert.Null(TransportLogEvents.RefusalIn(caught));
        var refusal = TransportLogEvents.RefusalIn(handshake);
        Assert.Equal((Client, TransportLogEvents.NotTls), (refusal?.Peer, refusal?.Kind));
    }

    [Fact]
    public void A_certificate_the_validator_refused_is_not_reported_again_by_the_failed_handshake()
    {
        var rejected = new AggregateException(new AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."));
        var handshake = ServerError(rejected, "TLS handshake failed on channel [{0}->{1}](Id={2})\n{3}", Server, Client, "0c6d357a", "troubleshooting text");
        var warning = new AkkaWarning("TcpServerHandler (akka://sched)", TcpServerHandler,
            new Message("Rejected incoming connection from [{0}] due to TLS handshake failure. This is likely invalid or malicious traffic.", Client));

        Assert.True(TransportLogEvents.IsTakenOver(handshake) && TransportLogEvents.IsTakenOver(warning));
        Assert.Null(TransportLogEvents.RefusalIn(handshake));
        Assert.Null(TransportLogEvents.RefusalIn(warning));
    }

    [Fact]
    public void Another_failed_handshake_is_reported_with_its_reason()
    {
        var failed = new AuthenticationException("Authentication failed because the remote party sent a TLS alert: 'HandshakeFailure'.");

        var refusal = TransportLogEvents.RefusalIn(ServerError(failed, "TLS handshake failed on channel [{0}->{1}](Id={2})\n{3}", Server, Client, "1", "text"));

        Assert.Equal(new TransportRefusal(Client, TransportLogEvents.Handshake, failed.Message), refusal);
    }

    [Fact]
    public void A_message_that_was_not_built_names_the_peer_from_the_endpoint_reader_s_path()
    {
        const string reader = "akka://sched/system/endpointManager/reliableEndpointWriter-akka.ssl.tcp%3A%2F%2Fsched%40127.0.0.1%3A40145-1/endpointWriter/endpointReader-akka.ssl.tcp%3A%2F%2Fsched%40127.0.0.1%3A40145-1";
        var closed = new SerializationException("serializer id 1 (Akka's Newtonsoft JSON) is closed in sched");
        var container = new SerializationException("Failed to deserialize payload object when deserializing ActorSelectionMessage [...]", closed);
        var warning = new AkkaWarning(container, reader, typeof(object), new Message(
            "Deserialization failed for message with serializer id [{0}] and manifest [{1}]. Transient association error (association remains live). {2}. {3}",
            6, "", container.Message, "hint"));

        var refusal = TransportLogEvents.RefusalIn(warning);

        Assert.Equal("akka.ssl.tcp://sched@127.0.0.1:40145", refusal?.Peer);
        Assert.Equal("serializer id 6, manifest '': serializer id 1 (Akka's Newtonsoft JSON) is closed in sched", refusal?.Why);
    }

    [Fact]
    public void Other_lines_of_Akka_s_are_left_alone()
    {
        var other = new AkkaWarning("akka://sched/system/cluster/core/daemon", typeof(Akka.Cluster.Cluster), new Message("Cluster Node [{0}] - Marking node as UNREACHABLE", "node2"));

        Assert.False(TransportLogEvents.IsTakenOver(other));
        Assert.Equal(LogFilterDecision.NoDecision, new TransportLogFilter().ShouldKeepMessage(other));
    }

    [Theory]
    [InlineData("[::ffff:10.0.0.5]:41234", "10.0.0.5")]
    [InlineData("10.0.0.5:41234", "10.0.0.5")]
    [InlineData("akka.ssl.tcp://sched@node2.local:4053/user/agent", "node2.local")]
    [InlineData("ssl.tcp://sched@[::1]:4053", "::1")]
    public void A_peer_is_counted_by_its_host_whatever_port_it_dials_from(string peer, string host) =>
        Assert.Equal(host, ClusterRefusals.HostOf(peer));

    /// <summary>Internal to Akka.Remote; what Akka logs from it carries its type.</summary>
    private static readonly Type TcpServerHandler = Type.GetType("Akka.Remote.Transport.DotNetty.TcpServerHandler, Akka.Remote", throwOnError: true)!;

    private static AkkaError ServerError(Exception cause, string format, params object[] args) =>
        new(cause, "TcpServerHandler (akka://sched)", TcpServerHandler, new Message(format, args));

    private sealed class Message(string format, params object[] args) : LogMessage(DefaultLogMessageFormatter.Instance, format)
    {
        public override IEnumerable<object> Parameters() => args;

        public override string Unformatted() => Format;
    }
}
