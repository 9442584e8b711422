using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Hosting;
using Sched.Scheduler.Http;
using Sched.Scheduler.Http.Auth;
using Sched.Tests.Fakes;
using Serilog;

namespace Sched.Scheduler.Tests.Cluster;

/// <summary>Three agents, each its own actor system, forming one cluster over loopback TCP in one process.</summary>
public sealed class ThreeNodeClusterSpecs : IAsyncLifetime, IDisposable
{
    private readonly List<AgentHost> _hosts = [];
    private readonly Dictionary<string, FakeRuntime> _runtimes = [];
    private HttpClient _http = new();
    private string _node1DataDir = "";

    public async Task InitializeAsync()
    {
        var node1 = await Start("node1", seed: null);
        var seed = $"127.0.0.1:{node1.SelfAddress.Port}";
        await Start("node2", seed);
        await Start("node3", seed);
        _http = new HttpClient { BaseAddress = node1.HttpAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(ApiTokenFile.DefaultPath(_node1DataDir)).Trim());
        await WaitUntil(async () => (await Nodes()).Count(n => n.Status == NodeStatus.Up) == 3);
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_nodes_join_and_seven_shards_spread_three_two_two_across_them()
    {
        var response = await _http.PostAsync(new Uri("v1/jobs", UriKind.Relative),
            new StringContent("image: my-processor\nshards: 7", Encoding.UTF8, "application/yaml"));
        var job = (await response.Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!;

        await WaitUntil(() => Task.FromResult(_runtimes.Values.Sum(r => r.Containers.Count(c => c.Running)) == 7));

        Assert.Equal([2, 2, 3], _runtimes.Values.Select(r => r.Containers.Count).Order());
        foreach (var (node, runtime) in _runtimes)
        {
            Assert.All(runtime.Containers, c => Assert.Equal(node, c.Spec.Env["SCHED_NODE"]));
        }

        var shards = (await _http.GetFromJsonAsync<JobDto>(new Uri($"v1/jobs/{job.Id}", UriKind.Relative), ApiServer.Json))!.Shards;
        Assert.Equal(["node1", "node2", "node3"], shards.Select(s => s.Node!).Distinct().Order());
    }

    private async Task<AgentHost> Start(string name, string? seed)
    {
        var runtime = new FakeRuntime { Hold = true };
        var isFirst = seed is null;
        var dataDir = Directory.CreateTempSubdirectory("sched-test-").FullName;
        if (isFirst)
        {
            _node1DataDir = dataDir;
        }

        var config = new AgentConfig(
            name, "127.0.0.1", 0, seed is null ? [] : [seed],
            isFirst ? ["scheduler", "worker"] : ["worker"],
            isFirst ? new IPEndPoint(IPAddress.Loopback, 0) : null,
            dataDir, "",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["node"] = name }),
            AgentOptions.DefaultReservation, JoinSelf: isFirst);
        var host = await AgentHost.StartAsync(config, new LoggerConfiguration().CreateLogger(), CancellationToken.None, runtime);
        _hosts.Add(host);
        _runtimes[name] = runtime;
        return host;
    }

    private async Task<List<NodeDto>> Nodes() =>
        (await _http.GetFromJsonAsync<List<NodeDto>>(new Uri("v1/nodes", UriKind.Relative), ApiServer.Json))!;

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100);
        }
    }
}
