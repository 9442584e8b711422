using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Http;

/// <summary>The HTTP API of a whole dev-mode agent (cluster singleton included) over an in-memory engine.</summary>
public sealed class ApiSpecs : IAsyncLifetime
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

    private ApiHost? _host;

    private HttpClient Http => _host!.Authorized;

    public async Task InitializeAsync()
    {
        _host = await ApiHost.StartAsync();
        await WaitUntil(async () => (await Nodes()).Count == 1);
    }

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
        var missing = await Http.GetAsync(new Uri("v1/jobs/nope-000000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var created = (await (await Post("image: my-processor\nshards: 2", "application/yaml")).Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!;
        var stopped = await Http.DeleteAsync(new Uri($"v1/jobs/{created.Id}", UriKind.Relative));

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
        Assert.Equal("ok\n", await _host!.Anonymous.GetStringAsync(new Uri("healthz", UriKind.Relative)));
    }

    [Fact]
    public async Task Pages_of_a_limit_follow_their_next_links_through_every_job_in_submission_order()
    {
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await Post($"image: my-processor\nname: page-{i}\nshards: 1", "application/yaml");
            submitted.Add((await created.Content.ReadFromJsonAsync<JobDto>(ApiServer.Json))!.Id);
        }

        var seen = new List<string>();
        var pages = 0;
        var next = "v1/jobs?limit=2";
        while (next is not null)
        {
            using var response = await Http.GetAsync(new Uri(next, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<List<JobDto>>(ApiServer.Json))!;
            Assert.InRange(page.Count, 1, 2);
            seen.AddRange(page.Select(j => j.Id));
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? NextOf(links.Single()) : null;
        }

        Assert.Equal(submitted, seen.Where(submitted.Contains));
        Assert.Equal((await Jobs()).Select(j => j.Id), seen);
        Assert.Equal((seen.Count + 1) / 2, pages);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("after=not-a-cursor", "after")]
    public async Task A_bad_page_parameter_gets_a_problem_naming_it(string query, string field)
    {
        using var response = await Http.GetAsync(new Uri($"v1/jobs?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([field], problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    /// <summary>The relative URI of a <c>Link: &lt;/v1/jobs?...&gt;; rel="next"</c> header.</summary>
    private static string NextOf(string link)
    {
        Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
        return link[2..link.IndexOf('>', StringComparison.Ordinal)];
    }

    private Task<HttpResponseMessage> Post(string body, string contentType) =>
        Http.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));

    private async Task<List<JobDto>> Jobs() =>
        (await Http.GetFromJsonAsync<List<JobDto>>(new Uri("v1/jobs", UriKind.Relative), ApiServer.Json))!;

    private async Task<List<NodeDto>> Nodes() =>
        (await Http.GetFromJsonAsync<List<NodeDto>>(new Uri("v1/nodes", UriKind.Relative), ApiServer.Json))!;

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
