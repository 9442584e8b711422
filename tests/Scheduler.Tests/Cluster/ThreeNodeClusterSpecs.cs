using System.Net.Http.Json;
using System.Text;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Cluster;

/// <summary>Three agents, each its own actor system, forming one cluster over loopback TCP in one process.</summary>
public sealed class ThreeNodeClusterSpecs : IAsyncLifetime, IDisposable
{
    private readonly InProcessCluster _cluster = new();
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        await _cluster.Start("node1", seed: null, scheduler: true);
        await _cluster.Start("node2", _cluster.SeedOf("node1"), scheduler: false);
        await _cluster.Start("node3", _cluster.SeedOf("node1"), scheduler: false);
        _http = _cluster.ApiOf("node1");
        await InProcessCluster.WaitUntil(async () => (await Nodes()).Count(n => n.Status == NodeStatus.Up) == 3, TimeSpan.FromSeconds(30), "three nodes up");
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Three_nodes_join_and_seven_shards_spread_three_two_two_across_them()
    {
        var response = await _http.PostAsync(new Uri("v1/jobs", UriKind.Relative),
            new StringContent("image: my-processor\nshards: 7", Encoding.UTF8, "application/yaml"));
        var job = (await response.Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!;

        await InProcessCluster.WaitUntil(() => Task.FromResult(_cluster.Runtimes.Values.Sum(r => r.Containers.Count(c => c.Running)) == 7),
            TimeSpan.FromSeconds(30), "seven containers running");

        Assert.Equal([2, 2, 3], _cluster.Runtimes.Values.Select(r => r.Containers.Count).Order());
        foreach (var (node, runtime) in _cluster.Runtimes)
        {
            Assert.All(runtime.Containers, c => Assert.Equal(node, c.Spec.Env["SCHED_NODE"]));
        }

        var shards = (await _http.GetFromJsonAsync<JobDto>(new Uri($"v1/jobs/{job.Id}", UriKind.Relative), ApiServer.Json))!.Shards;
        Assert.Equal(["node1", "node2", "node3"], shards.Select(s => s.Node!).Distinct().Order());
    }

    private async Task<List<NodeDto>> Nodes() =>
        (await _http.GetFromJsonAsync<List<NodeDto>>(new Uri("v1/nodes", UriKind.Relative), ApiServer.Json))!;
}
