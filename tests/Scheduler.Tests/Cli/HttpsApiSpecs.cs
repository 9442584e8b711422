using System.Collections.Immutable;
using System.Net;
using Sched.Contracts;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Cli;
using Sched.Scheduler.Hosting;
using Sched.Scheduler.Http.Auth;
using Sched.Tests.Fakes;
using Serilog;

namespace Sched.Scheduler.Tests.Cli;

/// <summary>`sched agent --https` serves the API with the node's cluster certificate; the CLI believes it only through the cluster CA.</summary>
public sealed class HttpsApiSpecs : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sched-https-").FullName;
    private AgentHost? _agent;
    private string _token = "";

    private string Ca => Path.Combine(_dir, "ca");

    private string CaFile => Path.Combine(Ca, ClusterTls.AuthorityFile);

    private int Port => _agent!.HttpAddress!.Port;

    public async Task InitializeAsync()
    {
        ClusterCertificates.CreateAuthority(Ca, DateTimeOffset.UtcNow);
        var tlsDir = Path.Combine(_dir, "node1");
        ClusterCertificates.IssueNode(Ca, "node1", ["127.0.0.1"], tlsDir, DateTimeOffset.UtcNow);
        var dataDir = Path.Combine(_dir, "data");
        var config = new AgentConfig(
            "node1", "127.0.0.1", 0, [], [ClusterRoles.Scheduler, ClusterRoles.Worker], new IPEndPoint(IPAddress.Loopback, 0),
            dataDir, "", ImmutableSortedDictionary<string, string>.Empty, AgentOptions.DefaultReservation, JoinSelf: true,
            Tls: ClusterTls.Load(tlsDir))
        {
            HttpsApi = true,
        };
        _agent = await AgentHost.StartAsync(config, new LoggerConfiguration().CreateLogger(), CancellationToken.None, new FakeRuntime());
        _token = File.ReadAllText(ApiTokenFile.DefaultPath(dataDir)).Trim();
    }

    public async Task DisposeAsync()
    {
        await _agent!.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task The_cli_reads_the_api_over_https_with_the_cluster_ca()
    {
        var settings = new ClientSettings { Addr = $"https://127.0.0.1:{Port}", Ca = CaFile, Token = _token };
        using var api = settings.CreateClient();

        var nodes = await api.NodesAsync(CancellationToken.None);

        Assert.Equal(["node1"], nodes.Select(n => n.Name));
        Assert.Equal(0, (await Nodes($"https://127.0.0.1:{Port}", "--ca", CaFile)).ExitCode);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused_and_the_cli_says_so()
    {
        var otherCa = Path.Combine(_dir, "other-ca");
        ClusterCertificates.CreateAuthority(otherCa, DateTimeOffset.UtcNow);

        var run = await Nodes($"https://127.0.0.1:{Port}", "--ca", Path.Combine(otherCa, ClusterTls.AuthorityFile));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("does not chain to the cluster CA", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("node1 ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_name_the_certificate_does_not_carry_is_refused_with_the_san_to_add()
    {
        var run = await Nodes($"https://localhost:{Port}", "--ca", CaFile);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("does not name localhost", run.Errors, StringComparison.Ordinal);
        Assert.Contains("--san localhost", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_to_an_https_api_gets_no_answer()
    {
        var run = await Nodes($"http://127.0.0.1:{Port}", "--ca", CaFile);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("cannot reach sched", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_file_that_is_not_there_is_named()
    {
        var run = await Nodes($"https://127.0.0.1:{Port}", "--ca", Path.Combine(_dir, "nowhere.crt"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"--ca {Path.Combine(_dir, "nowhere.crt")}: no such file", run.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null, "give --tls-dir")]
    [InlineData(false, "off", "the HTTP API is off")]
    public void Https_without_a_certificate_or_without_an_api_is_refused_at_start(bool insecure, string? http, string expected)
    {
        var tlsDir = Path.Combine(_dir, "node1");
        var flags = new AgentSettings
        {
            Seeds = ["node1.local:4053"],
            Https = true,
            InsecureCluster = insecure,
            TlsDir = insecure ? null : tlsDir,
            Http = http,
        };

        var error = Assert.Throws<CliException>(() => AgentConfigResolver.Resolve(flags, _ => null, "node1"));

        Assert.Contains("--https", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private Task<CliRun> Nodes(string address, params string[] more) => CliRun.Of(["nodes", "--addr", address, $"--token={_token}", .. more]);
}
