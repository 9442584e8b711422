using System.Security.Cryptography.X509Certificates;
using Sched.Scheduler.Cli;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Tests.Cli;

/// <summary>`sched cert init/issue` and what `sched agent` makes of the TLS directory.</summary>
public sealed class ClusterTlsSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sched-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Ca => Path.Combine(_dir, "ca");

    private string IssueNode(string node, string? ca = null)
    {
        var authority = ca ?? Ca;
        if (!File.Exists(Path.Combine(authority, ClusterTls.AuthorityFile)))
        {
            ClusterCertificates.CreateAuthority(authority, DateTimeOffset.UtcNow);
        }

        var nodeDir = Path.Combine(authority, node);
        ClusterCertificates.IssueNode(authority, node, ["node3.local", "192.168.1.13"], nodeDir, DateTimeOffset.UtcNow);
        return nodeDir;
    }

    private static AgentConfig Resolve(AgentSettings flags) => AgentConfigResolver.Resolve(flags, _ => null, "node3");

    [Fact]
    public void An_issued_node_directory_is_what_the_agent_loads_and_its_certificate_names_the_node()
    {
        var config = Resolve(new AgentSettings { Seeds = ["node1.local:4053"], TlsDir = IssueNode("node3") });

        var tls = Assert.IsType<ClusterTls>(config.Tls);
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Equal("CN=node3", tls.Certificate.Subject);
        var names = tls.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["node3", "node3.local"], names.EnumerateDnsNames());
        Assert.Equal(["192.168.1.13"], names.EnumerateIPAddresses().Select(a => a.ToString()));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Keys_are_readable_by_their_owner_only_and_certificates_by_everyone()
    {
        var nodeDir = IssueNode("node3");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Ca, ClusterCertificates.AuthorityKeyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(nodeDir, ClusterTls.KeyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(nodeDir, ClusterTls.CertificateFile)));
    }

    [Fact]
    public void A_second_init_keeps_the_existing_CA()
    {
        ClusterCertificates.CreateAuthority(Ca, DateTimeOffset.UtcNow);
        var before = File.ReadAllText(Path.Combine(Ca, ClusterCertificates.AuthorityKeyFile));

        var error = Assert.Throws<CliException>(() => ClusterCertificates.CreateAuthority(Ca, DateTimeOffset.UtcNow));

        Assert.Contains("exists already", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(Ca, ClusterCertificates.AuthorityKeyFile)));
    }

    [Fact]
    public void A_cluster_agent_without_TLS_refuses_to_start_naming_the_flag_and_how_to_run_insecurely()
    {
        var error = Assert.Throws<CliException>(() => Resolve(new AgentSettings { Seeds = ["node1.local:4053"] }));

        Assert.Contains("--tls-dir: missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure-cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_key_is_named()
    {
        var nodeDir = IssueNode("node3");
        File.Delete(Path.Combine(nodeDir, ClusterTls.KeyFile));

        var error = Assert.Throws<CliException>(() => Resolve(new AgentSettings { Seeds = ["node1.local:4053"], TlsDir = nodeDir }));

        Assert.Contains($"node.key missing in TLS directory {nodeDir}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_certificate_of_another_CA_is_refused()
    {
        var nodeDir = IssueNode("node3");
        var stranger = IssueNode("node3", Path.Combine(_dir, "other-ca"));
        File.Copy(Path.Combine(stranger, ClusterTls.CertificateFile), Path.Combine(nodeDir, ClusterTls.CertificateFile), overwrite: true);
        File.Copy(Path.Combine(stranger, ClusterTls.KeyFile), Path.Combine(nodeDir, ClusterTls.KeyFile), overwrite: true);

        var error = Assert.Throws<CliException>(() => Resolve(new AgentSettings { Seeds = ["node1.local:4053"], TlsDir = nodeDir }));

        Assert.Contains("is not valid for this cluster's CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_CA_accepts_its_nodes_and_refuses_a_self_signed_or_foreign_certificate()
    {
        var tls = ClusterTls.Load(IssueNode("node3"));
        var peer = ClusterTls.Load(IssueNode("node4"));
        var foreign = ClusterTls.Load(IssueNode("node4", Path.Combine(_dir, "other-ca")));
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var selfSigned = new CertificateRequest("CN=node4", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.True(tls.Accepts(peer.Certificate, out _));
        Assert.False(tls.Accepts(foreign.Certificate, out _));
        Assert.False(tls.Accepts(selfSigned, out var reason));
        Assert.Contains("does not chain to the cluster CA", reason, StringComparison.Ordinal);
        Assert.False(tls.Accepts(tls.Authority, out _));
        Assert.False(tls.Accepts(null, out _));
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "192.168.1.13", false)]
    [InlineData(false, null, false)]
    public void Only_a_dev_agent_on_loopback_runs_without_TLS_unless_told_so(bool dev, string? host, bool starts)
    {
        var flags = new AgentSettings { Dev = dev, Host = host, Seeds = dev ? [] : ["node1.local:4053"] };

        if (starts)
        {
            Assert.Null(Resolve(flags).Tls);
        }
        else
        {
            Assert.Contains("--tls-dir: missing", Assert.Throws<CliException>(() => Resolve(flags)).Message, StringComparison.Ordinal);
            Assert.Null(Resolve(new AgentSettings { Dev = dev, Host = host, Seeds = flags.Seeds, InsecureCluster = true }).Tls);
        }
    }
}
