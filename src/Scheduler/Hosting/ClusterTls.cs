using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Sched.Scheduler.Hosting;

/// <summary>
/// This node's TLS material for the cluster transport: its certificate and key, and the cluster's CA. A peer is
/// accepted in either direction only with a certificate that chains to that CA; the machine's own trust store and
/// host names play no part (every node holds a certificate of the same private CA, and nodes are dialled by address).
/// </summary>
public sealed class ClusterTls
{
    public const string AuthorityFile = "ca.crt";
    public const string CertificateFile = "node.crt";
    public const string KeyFile = "node.key";

    /// <summary>The files a TLS directory holds, in the order a person would check them.</summary>
    public static IReadOnlyList<string> Files { get; } = [AuthorityFile, CertificateFile, KeyFile];

    private ClusterTls(string directory, X509Certificate2 certificate, X509Certificate2 authority)
    {
        Directory = directory;
        Certificate = certificate;
        Authority = authority;
    }

    public string Directory { get; }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster CA: the only root a peer's certificate may chain to.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Akka's address scheme: DotNetty names an SSL transport <c>ssl.tcp</c>.</summary>
    public static string Scheme(bool tls) => tls ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>Loads ca.crt, node.crt and node.key from the directory; throws naming what is missing or wrong.</summary>
    public static ClusterTls Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ClusterTlsException($"TLS directory {directory} does not exist (it should hold {string.Join(", ", Files)})");
        }

        var missing = Files.Where(f => !File.Exists(Path.Combine(directory, f))).ToList();
        if (missing.Count > 0)
        {
            throw new ClusterTlsException($"{string.Join(", ", missing)} missing in TLS directory {directory} (it should hold {string.Join(", ", Files)})");
        }

        X509Certificate2 authority;
        X509Certificate2 certificate;
        try
        {
            authority = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, AuthorityFile));
            certificate = X509Certificate2.CreateFromPemFile(Path.Combine(directory, CertificateFile), Path.Combine(directory, KeyFile));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ClusterTlsException($"TLS files in {directory} cannot be read: {e.Message}");
        }

        var tls = new ClusterTls(directory, certificate, authority);
        if (!tls.Accepts(certificate, out var reason))
        {
            throw new ClusterTlsException($"{Path.Combine(directory, CertificateFile)} is not valid for this cluster's CA {Path.Combine(directory, AuthorityFile)}: {reason}");
        }

        return tls;
    }

    /// <summary>
    /// The actor system's setup: its HOCON, with TLS the certificate and the CA-only validation, and the filter that
    /// leaves Akka's lines about refused peers and frames to <paramref name="refusals"/>.
    /// </summary>
    public static ActorSystemSetup SystemSetup(Config hocon, ClusterTls? tls, ClusterRefusals refusals)
    {
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(hocon))
            .And(new LogFilterSetup([new TransportLogFilter()]));
        return tls is null ? setup : setup.And(tls.SslSetup(refusals));
    }

    /// <summary>Mutual TLS: the server asks every client for its certificate, and both sides check the other's.</summary>
    public DotNettySslSetup SslSetup(ClusterRefusals refusals) =>
        new(Certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: (peer, _, remotePeer, _, _) => Validate(peer, remotePeer, refusals));

    private bool Validate(X509Certificate2? peer, string remotePeer, ClusterRefusals refusals)
    {
        if (Accepts(peer, out var reason))
        {
            return true;
        }

        refusals.Refused(remotePeer, TransportLogEvents.Certificate, reason);
        return false;
    }

    /// <summary>
    /// True when the certificate chains to the cluster CA alone and is valid now. SslStream's own verdict is not used:
    /// it judges against the machine's trust store (which does not know this CA) and the host name (not checked here).
    /// </summary>
    public bool Accepts(X509Certificate2? peer, out string reason) => IssuedBy(Authority, peer, out reason);

    /// <summary>True when <paramref name="peer"/> chains to <paramref name="authority"/> alone and is valid now.</summary>
    public static bool IssuedBy(X509Certificate2 authority, X509Certificate2? peer, out string reason)
    {
        if (peer is null)
        {
            reason = "it presented no certificate";
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(peer))
        {
            reason = $"certificate '{peer.Subject}' (issued by '{peer.Issuer}') does not chain to the cluster CA: "
                + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return false;
        }

        if (chain.ChainElements.Count < 2 || !chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span))
        {
            reason = $"certificate '{peer.Subject}' is not one the cluster CA issued";
            return false;
        }

        reason = "";
        return true;
    }
}

/// <summary>The TLS material is missing or unusable; the message names the file and what is wrong.</summary>
public sealed class ClusterTlsException(string message) : Exception(message);
