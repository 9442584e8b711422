using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using Sched.Contracts;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Hosting;
using Sched.Scheduler.Http.Auth;
using Sched.Tests.Fakes;
using Serilog;

namespace Sched.Scheduler.Tests.Cluster;

/// <summary>
/// Agents in one process, each its own actor system, joined into one cluster over loopback TCP; each runs its
/// containers on a <see cref="FakeRuntime"/> whose containers run until told to exit.
/// </summary>
internal sealed class InProcessCluster : IAsyncDisposable
{
    private readonly List<AgentHost> _hosts = [];
    private readonly Dictionary<string, AgentHost> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _dataDirs = new(StringComparer.Ordinal);

    public Dictionary<string, FakeRuntime> Runtimes { get; } = new(StringComparer.Ordinal);

    /// <summary>A fresh data dir for a node, made before it starts so a test can put state in it first.</summary>
    public string DataDirOf(string name)
    {
        if (!_dataDirs.TryGetValue(name, out var dir))
        {
            dir = _dataDirs[name] = Directory.CreateTempSubdirectory($"sched-{name}-").FullName;
        }

        return dir;
    }

    /// <summary>Starts a node; without a seed it founds the cluster. Scheduler nodes serve the HTTP API on a free loopback port.</summary>
    public async Task<AgentHost> Start(string name, string? seed, bool scheduler)
    {
        var runtime = new FakeRuntime { Hold = true };
        var config = new AgentConfig(
            name, "127.0.0.1", 0, seed is null ? [] : [seed],
            scheduler ? [ClusterRoles.Scheduler, ClusterRoles.Worker] : [ClusterRoles.Worker],
            scheduler ? new IPEndPoint(IPAddress.Loopback, 0) : null,
            DataDirOf(name), "",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["node"] = name }),
            AgentOptions.DefaultReservation, JoinSelf: seed is null);
        var host = await AgentHost.StartAsync(config, new LoggerConfiguration().CreateLogger(), CancellationToken.None, runtime);
        _hosts.Add(host);
        _byName[name] = host;
        Runtimes[name] = runtime;
        return host;
    }

    /// <summary>The cluster address other nodes give as their seed to join this one.</summary>
    public string SeedOf(string name) => $"127.0.0.1:{_byName[name].SelfAddress.Port}";

    /// <summary>A client of the node's HTTP API, with its API token.</summary>
    public HttpClient ApiOf(string name)
    {
        var http = new HttpClient { BaseAddress = _byName[name].HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", File.ReadAllText(ApiTokenFile.DefaultPath(DataDirOf(name))).Trim());
        return http;
    }

    /// <summary>Stops the node's agent as its service stop would (it leaves the cluster); its fake containers keep running, as under conmon.</summary>
    public async Task Stop(string name)
    {
        var host = _byName[name];
        _byName.Remove(name);
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }

        foreach (var dir in _dataDirs.Values)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: not within {timeout.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }
}
