using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Hosting;
using Sched.Scheduler.Http;
using Sched.Tests.Fakes;
using Serilog;

namespace Sched.Scheduler.Tests.Http;

/// <summary>The HTTP API of a whole dev-mode agent (cluster singleton included) over an in-memory engine.</summary>
public sealed class ApiSpecs : IAsyncLifetime, IDisposable
{
    private const string DesignManifestYaml = """
        name: my-processor
        image: my-processor:latest
        command: ["/bin/process", "--verbose"]
        env: { INPUT: /data/in }
        shards: 7
        type: batch
        resources: { memory: 256Mi, cpus: 0.5 }
        restart: { policy: on-failure, attempts: 3, backoff: 2s }
        placement:
          strategy: spread
          maxShardsPerNode: 2
          constraints: ["node != node9", "arch == arm64"]
        """;

    private readonly FakeRuntime _runtime = new() { Hold = true };
    private AgentHost? _host;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var config = new AgentConfig("node1", "127.0.0.1", 0, [], ["scheduler", "worker"], new IPEndPoint(IPAddress.Loopback, 0),
            Directory.CreateTempSubdirectory("sched-test-").FullName, "", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["arch"] = "arm64", ["node"] = "node1" }),
            AgentOptions.DefaultReservation, JoinSelf: true);
        _host = await AgentHost.StartAsync(config, new LoggerConfiguration().CreateLogger(), CancellationToken.None, _runtime);
        _http = new HttpClient { BaseAddress = _host.HttpAddress };
        await WaitUntil(async () => (await Nodes()).Count == 1);
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_design_manifest_is_accepted_as_yaml_and_as_json_alike()
    {
        var fromYaml = await Post(DesignManifestYaml, "application/yaml");
        var json = JsonSerializer.Serialize(new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(DesignManifestYaml));
        var fromJson = await Post(json, "application/json");

        Assert.Equal(HttpStatusCode.Created, fromYaml.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromJson.StatusCode);
        var a = (await fromYaml.Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!;
        var b = (await fromJson.Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!;
        Assert.Equal(a.Manifest.ToJsonString(), b.Manifest.ToJsonString());
        Assert.Equal(7, a.Counts.Total);
        Assert.Equal($"/v1/jobs/{a.Id}", fromYaml.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_manifest_with_three_bad_fields_gets_one_problem_naming_all_three_and_nothing_is_stored()
    {
        var before = await Jobs();

        var response = await Post("""{"shards": -2, "resources": {"memory": "12xb"}}""", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var fields = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["image", "resources.memory", "shards"], fields);
        Assert.Equal(before.Count, (await Jobs()).Count);
    }

    [Fact]
    public async Task Unknown_jobs_are_404_problems_and_stopping_a_job_reports_it_stopped()
    {
        var missing = await _http.GetAsync(new Uri("v1/jobs/nope-000000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var created = (await (await Post("image: my-processor\nshards: 2", "application/yaml")).Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!;
        var stopped = await _http.DeleteAsync(new Uri($"v1/jobs/{created.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.Equal(JobStatus.Stopped, (await stopped.Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!.Status);
    }

    [Fact]
    public async Task Nodes_show_capacity_allocation_and_labels_and_a_foreign_content_type_is_refused()
    {
        await Post("image: my-processor\nshards: 2\nresources: {memory: 1Gi, cpus: 1}", "application/yaml");
        await WaitUntil(async () => (await Nodes())[0].Shards == 2);

        var node = (await Nodes())[0];
        Assert.Equal(("node1", NodeStatus.Up, 3.5, 2.0, "2Gi"), (node.Name, node.Status, node.Allocatable.Cpus, node.Allocated.Cpus, node.Allocated.Memory));
        Assert.Equal("arm64", node.Labels["arch"]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Post("image: x", "text/plain")).StatusCode);
        Assert.Equal("ok\n", await _http.GetStringAsync(new Uri("healthz", UriKind.Relative)));
    }

    private Task<HttpResponseMessage> Post(string body, string contentType) =>
        _http.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));

    private async Task<List<JobDto>> Jobs() =>
        (await _http.GetFromJsonAsync<List<JobDto>>(new Uri("v1/jobs", UriKind.Relative), ApiServer.Json))!;

    private async Task<List<NodeDto>> Nodes() =>
        (await _http.GetFromJsonAsync<List<NodeDto>>(new Uri("v1/nodes", UriKind.Relative), ApiServer.Json))!;

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(50);
        }
    }
}
