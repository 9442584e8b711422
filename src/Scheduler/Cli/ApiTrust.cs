using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Cli;

/// <summary>
/// Whom the CLI believes at an https:// address. With the cluster CA (--ca, $SCHED_CA, $SCHED_TLS_DIR/ca.crt or the
/// agent's /var/lib/sched/tls/ca.crt) the API's certificate must chain to that CA alone and name the host dialled,
/// as `sched agent --https` serves it; without one, the machine's trust store decides, as for any web site.
/// </summary>
public sealed class ApiTrust : IDisposable
{
    public const string AgentAuthorityPath = "/var/lib/sched/tls/ca.crt";

    private readonly X509Certificate2? _authority;
    private readonly string? _authorityPath;
    private readonly ConcurrentDictionary<string, string> _refusals = new(StringComparer.OrdinalIgnoreCase);

    private ApiTrust(X509Certificate2? authority, string? authorityPath)
    {
        _authority = authority;
        _authorityPath = authorityPath;
    }

    /// <summary>The CA a person named is read, or the command fails naming it; the agent's own CA is used when this machine has one.</summary>
    public static ApiTrust Find(string? flag, Func<string, string?> env)
    {
        var named = flag ?? env("SCHED_CA") ?? (env("SCHED_TLS_DIR") is { } dir ? Path.Combine(dir, ClusterTls.AuthorityFile) : null);
        var path = named ?? (File.Exists(AgentAuthorityPath) ? AgentAuthorityPath : null);
        if (path is null)
        {
            return new ApiTrust(null, null);
        }

        if (!File.Exists(path))
        {
            throw new CliException($"--ca {path}: no such file; copy the cluster's ca.crt (made by `sched cert init`) there, or give its path");
        }

        try
        {
            return new ApiTrust(X509CertificateLoader.LoadCertificateFromFile(path), path);
        }
        catch (CryptographicException e)
        {
            throw new CliException($"--ca {path}: not a certificate ({e.Message.Trim()}); give the cluster's ca.crt");
        }
    }

    /// <summary>A handler whose https connections are checked as above; the reason for a refusal is kept for <see cref="Explain"/>.</summary>
    public HttpClientHandler Handler() => new() { ServerCertificateCustomValidationCallback = Check };

    /// <summary>Why the certificate at this address was refused, when that is why the request failed; else the failure itself.</summary>
    public string Explain(Uri address, HttpRequestException failure) =>
        _refusals.TryGetValue(address.Authority, out var reason) ? reason : failure.Message;

    public void Dispose() => _authority?.Dispose();

    private bool Check(HttpRequestMessage request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var address = request.RequestUri!;
        var reason = Refusal(address, certificate, errors);
        if (reason is null)
        {
            _refusals.TryRemove(address.Authority, out _);
            return true;
        }

        _refusals[address.Authority] = reason;
        return false;
    }

    private string? Refusal(Uri address, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return "it presented no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"its certificate ('{certificate.Subject}') does not name {address.Host}; "
                + $"issue it with that name: `sched cert issue NODE --san {address.Host}`, or dial a name it has";
        }

        if (_authority is null)
        {
            return errors == SslPolicyErrors.None ? null
                : $"its certificate ('{certificate.Subject}', issued by '{certificate.Issuer}') is not trusted by this machine ({errors}); "
                    + "give the cluster CA with --ca FILE or SCHED_CA";
        }

        return ClusterTls.IssuedBy(_authority, certificate, out var why) ? null : $"{why} (the cluster CA is {_authorityPath})";
    }
}
