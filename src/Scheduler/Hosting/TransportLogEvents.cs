using System.Security.Authentication;
using Akka.Event;

namespace Sched.Scheduler.Hosting;

/// <summary>A refusal Akka's transport or endpoint reader logged, as <see cref="ClusterRefusals"/> reports it.</summary>
public sealed record TransportRefusal(string Peer, string Kind, string Why);

/// <summary>
/// Recognizes what Akka logs when the cluster port refuses a peer or a frame. Akka writes several lines per refused
/// connection (an error with a stack trace, a multi-line troubleshooting text, a warning), and one warning per refused
/// message; <see cref="TransportLogFilter"/> keeps them out of the log and <see cref="TransportRefusalListener"/>
/// reports each as one <see cref="ClusterRefusals"/> line instead.
/// </summary>
public static class TransportLogEvents
{
    public const string NotTls = "no TLS";
    public const string NoCertificate = "no client certificate";
    public const string Handshake = "TLS handshake failed";
    public const string Certificate = "certificate not of this cluster";
    public const string Message = "message not built";

    private const string CallbackRejected = "rejected by the provided RemoteCertificateValidationCallback";

    /// <summary>True for the events this class takes over, whether or not they are reported.</summary>
    public static bool IsTakenOver(LogEvent e) => Classify(e).TakenOver;

    /// <summary>The refusal to report, or null (either not a refusal, or one reported elsewhere: the certificate validator says why).</summary>
    public static TransportRefusal? RefusalIn(LogEvent e) => Classify(e).Refusal;

    private static (bool TakenOver, TransportRefusal? Refusal) Classify(LogEvent e)
    {
        if (e.Message is not LogMessage { Format: var format } message)
        {
            return (false, null);
        }

        var args = message.Parameters().ToArray();
        if (format.StartsWith("Deserialization failed for message with serializer id", StringComparison.Ordinal) && args.Length >= 3)
        {
            // A frame inside another (a message sent to an ActorSelection) fails in its container's serializer, whose
            // own text blames a missing Akka serializer: the innermost exception says what really refused it.
            var why = Innermost(e.Cause)?.Message ?? $"{args[2]}";
            return (true, new TransportRefusal(PeerOfEndpointReader(e.LogSource), Message, $"serializer id {args[0]}, manifest '{args[1]}': {why}"));
        }

        if (e.LogClass?.Namespace != "Akka.Remote.Transport.DotNetty")
        {
            return (false, null);
        }

        if (format.StartsWith("Mutual TLS required but client did not provide a certificate", StringComparison.Ordinal) && args.Length >= 1)
        {
            return (true, new TransportRefusal($"{args[0]}", NoCertificate, "it presented no client certificate"));
        }

        if (format.StartsWith("Rejected incoming connection from", StringComparison.Ordinal))
        {
            return (true, null);
        }

        var tlsCause = TlsCause(e.Cause);
        if (tlsCause is null)
        {
            return (false, null);
        }

        // DotNetty reports one failed handshake twice: "Error caught channel" and then "TLS handshake failed on channel".
        if (!format.StartsWith("TLS handshake failed", StringComparison.Ordinal) && !format.StartsWith("TLS exception", StringComparison.Ordinal))
        {
            return (true, null);
        }

        var peer = args.Length >= 2 ? $"{args[1]}" : e.LogSource;
        return tlsCause.GetType().Name == "NotSslRecordException"
            ? (true, new TransportRefusal(peer, NotTls, "it does not speak TLS on the cluster port (a sched agent started with --insecure-cluster, or not a sched agent at all)"))
            : tlsCause.Message.Contains(CallbackRejected, StringComparison.Ordinal)
                ? (true, null)
                : (true, new TransportRefusal(peer, Handshake, tlsCause.Message));
    }

    /// <summary>The innermost exception that says TLS failed: SslStream's AuthenticationException or DotNetty's NotSslRecordException.</summary>
    private static Exception? TlsCause(Exception? cause)
    {
        for (var e = cause; e is not null; e = e is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerExceptions[0] : e.InnerException)
        {
            if (e is AuthenticationException || e.GetType().Name == "NotSslRecordException")
            {
                return e;
            }
        }

        return null;
    }

    private static Exception? Innermost(Exception? cause)
    {
        while (cause?.InnerException is { } inner)
        {
            cause = inner;
        }

        return cause;
    }

    /// <summary>
    /// The peer's address from an endpoint reader's actor path, where Akka writes it URL-encoded:
    /// <c>.../endpointReader-akka.ssl.tcp%3A%2F%2Fsched%40127.0.0.1%3A4053-1</c>.
    /// </summary>
    public static string PeerOfEndpointReader(string logSource)
    {
        const string marker = "endpointReader-";
        var at = logSource.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return logSource;
        }

        var encoded = logSource[(at + marker.Length)..];
        var counter = encoded.LastIndexOf('-');
        return Uri.UnescapeDataString(counter > 0 ? encoded[..counter] : encoded);
    }
}

/// <summary>Keeps Akka's own lines about refused peers and frames out of the log; <see cref="TransportRefusalListener"/> writes them.</summary>
public sealed class TransportLogFilter : LogFilterBase
{
    public override LogFilterType FilterType => LogFilterType.Source;

    public override LogFilterDecision ShouldKeepMessage(LogEvent content, string? expandedMessage = null) =>
        TransportLogEvents.IsTakenOver(content) ? LogFilterDecision.Drop : LogFilterDecision.NoDecision;
}
