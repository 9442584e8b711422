using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Cli;

/// <summary>
/// The cluster's own CA and the node certificates it signs, as PEM files: ECDSA P-256 keys (small and quick on the
/// boards), the CA valid 10 years, a node 2 years (never beyond its CA). Keys are written 0600, certificates 0644.
/// </summary>
public static partial class ClusterCertificates
{
    public const string AuthorityKeyFile = "ca.key";

    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3653);

    public static readonly TimeSpan NodeLifetime = TimeSpan.FromDays(730);

    /// <summary>Clocks of freshly booted boards may lag a little: certificates are valid from an hour ago.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    private const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode Public = Secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode PrivateDirectory = Secret | UnixFileMode.UserExecute;

    /// <summary>Writes ca.key and ca.crt into the directory; refuses if a CA is there already (its nodes would be orphaned).</summary>
    public static X509Certificate2 CreateAuthority(string directory, DateTimeOffset now)
    {
        var keyPath = Path.Combine(directory, AuthorityKeyFile);
        var certPath = Path.Combine(directory, ClusterTls.AuthorityFile);
        if (File.Exists(keyPath) || File.Exists(certPath))
        {
            throw new CliException($"a cluster CA exists already in {directory}; issue node certificates with it, or remove {keyPath} and {certPath} to start a new cluster CA (every node then needs a new certificate)");
        }

        CreatePrivateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var request = new CertificateRequest($"CN=sched cluster CA {id}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var authority = request.CreateSelfSigned(now - ClockSkew, now + AuthorityLifetime);
        Write(keyPath, key.ExportPkcs8PrivateKeyPem(), Secret);
        Write(certPath, authority.ExportCertificatePem(), Public);
        return authority;
    }

    /// <summary>
    /// Signs a certificate for the node with the CA in <paramref name="authorityDirectory"/> and writes the node's TLS
    /// directory (ca.crt, node.crt, node.key, what `sched agent --tls-dir` reads) to <paramref name="nodeDirectory"/>,
    /// replacing an earlier one. The names are the node's name and every extra name or address, as subject alternative names.
    /// </summary>
    public static X509Certificate2 IssueNode(string authorityDirectory, string node, IEnumerable<string> extraNames, string nodeDirectory, DateTimeOffset now)
    {
        if (!NodeName().IsMatch(node))
        {
            throw new CliException($"node name '{node}': use letters, digits, '-' and '.', as in node3");
        }

        using var authority = LoadAuthority(authorityDirectory);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in extraNames.Prepend(node).Distinct(StringComparer.Ordinal))
        {
            if (IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else if (NodeName().IsMatch(name))
            {
                names.AddDnsName(name);
            }
            else
            {
                throw new CliException($"--san '{name}': give a host name (node3.local) or an IP address (192.168.1.13)");
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // Every node is a TLS server to some peers and a client to others.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "serverAuth"), new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")], false));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var notAfter = now + NodeLifetime < authority.NotAfter ? now + NodeLifetime : new DateTimeOffset(authority.NotAfter);
        var certificate = request.Create(authority, now - ClockSkew, notAfter, RandomNumberGenerator.GetBytes(16));

        CreatePrivateDirectory(nodeDirectory);
        Write(Path.Combine(nodeDirectory, ClusterTls.KeyFile), key.ExportPkcs8PrivateKeyPem(), Secret);
        Write(Path.Combine(nodeDirectory, ClusterTls.CertificateFile), certificate.ExportCertificatePem(), Public);
        Write(Path.Combine(nodeDirectory, ClusterTls.AuthorityFile), authority.ExportCertificatePem(), Public);
        return certificate;
    }

    private static X509Certificate2 LoadAuthority(string directory)
    {
        var certPath = Path.Combine(directory, ClusterTls.AuthorityFile);
        var keyPath = Path.Combine(directory, AuthorityKeyFile);
        var missing = new[] { certPath, keyPath }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new CliException($"no cluster CA in {directory} ({string.Join(" and ", missing)} missing): run `sched cert init --dir {directory}` first");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (CryptographicException e)
        {
            throw new CliException($"the cluster CA in {directory} cannot be read: {e.Message}");
        }
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new CliException("sched cert writes key files with Unix modes: run it on Linux");
        }

        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, PrivateDirectory);
        }
    }

    /// <summary>
    /// Created with its mode, so a key is never readable by others, not even for a moment; set again afterwards, as the
    /// umask may have taken bits off a certificate. An old file is replaced.
    /// </summary>
    private static void Write(string path, string pem, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new CliException("sched cert writes key files with Unix modes: run it on Linux");
        }

        File.Delete(path);
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        File.SetUnixFileMode(path, mode);
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")]
    private static partial Regex NodeName();
}
