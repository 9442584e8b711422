using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Sched.Scheduler.Http.Auth;

namespace Sched.Scheduler.Tests.Http;

/// <summary>
/// The bearer token in front of the HTTP API. The routes come from the API's own endpoint data source, so an
/// endpoint added later is checked here without anyone listing it.
/// </summary>
public sealed class AuthSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    private const string Manifest = "image: my-processor\nshards: 2\nresources: {memory: 64Mi, cpus: 0.1}";

    private static readonly Dictionary<string, string> AnyRouteValues = new()
    {
        ["id"] = "my-processor-000000",
        ["shard"] = "1",
        ["documentName"] = "v1",
        ["file"] = "app.js",
    };

    [Fact]
    public async Task Every_route_but_healthz_metrics_and_the_openapi_document_answers_401_with_a_problem_without_the_token()
    {
        var routes = MappedRoutes.Of(api.Host.Endpoints);
        Assert.Contains(routes, r => r.Key == "GET /v1/events");

        var open = new List<string>();
        foreach (var (key, method, pattern) in routes)
        {
            using var response = await Send(api.Host.Anonymous, method, MappedRoutes.PathOf(pattern, AnyRouteValues));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                open.Add(key);
                continue;
            }

            await AssertTokenProblem(response, key, "Token required");
        }

        Assert.Equal(MappedRoutes.Open.Order(StringComparer.Ordinal), open);
    }

    /// <summary>Nothing is protected with ASP.NET's data protection: its keys must not be read from or written to the user's home.</summary>
    [Fact]
    public void The_api_keeps_its_data_protection_keys_in_memory_only() =>
        Assert.IsType<EphemeralDataProtectionProvider>(api.Host.Services.GetRequiredService<IDataProtectionProvider>());

    [Fact]
    public async Task A_wrong_token_is_refused_on_every_route_that_needs_one()
    {
        using var wrong = api.Host.WithToken("not-the-token-of-this-node-at-all");

        foreach (var (key, method, pattern) in MappedRoutes.Of(api.Host.Endpoints).Where(r => !MappedRoutes.Open.Contains(r.Key)))
        {
            using var response = await Send(wrong, method, MappedRoutes.PathOf(pattern, AnyRouteValues));

            await AssertTokenProblem(response, key, "Wrong token");
            Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task With_the_token_every_route_answers_as_it_did_before_there_was_one()
    {
        using var created = await Send(api.Host.Authorized, "POST", "/v1/jobs");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var job = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var values = new Dictionary<string, string>(AnyRouteValues) { ["id"] = job };
        var expected = new Dictionary<string, HttpStatusCode>
        {
            ["POST /v1/jobs"] = HttpStatusCode.Created,
            ["GET /v1/jobs"] = HttpStatusCode.OK,
            ["GET /v1/jobs/{id}"] = HttpStatusCode.OK,
            ["GET /v1/jobs/{id}/shards/{shard:int}/logs"] = HttpStatusCode.OK,
            ["GET /v1/events"] = HttpStatusCode.OK,
            ["GET /v1/nodes"] = HttpStatusCode.OK,
            ["GET /v1/images"] = HttpStatusCode.OK,
            ["GET /healthz"] = HttpStatusCode.OK,
            ["GET /metrics"] = HttpStatusCode.OK,
            ["GET /openapi/{documentName}.json"] = HttpStatusCode.OK,
            ["GET /ui"] = HttpStatusCode.OK,
            ["GET /ui/{file}"] = HttpStatusCode.OK,
            ["PATCH /v1/jobs/{id}"] = HttpStatusCode.OK,
            ["POST /v1/jobs/{id}/rerun"] = HttpStatusCode.Conflict,
            ["POST /v1/images"] = HttpStatusCode.UnsupportedMediaType,
            ["DELETE /v1/jobs/{id}"] = HttpStatusCode.OK,
        };
        var routes = MappedRoutes.Of(api.Host.Endpoints);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), routes.Select(r => r.Key));

        // In the order above: the job is stopped last.
        foreach (var (key, status) in expected)
        {
            var (_, method, pattern) = routes.Single(r => r.Key == key);
            using var response = await Send(api.Host.Authorized, method, MappedRoutes.PathOf(pattern, values));

            Assert.True(response.StatusCode == status, $"{key}: {(int)response.StatusCode} {await Body(response)}");
        }
    }

    [Fact]
    public async Task The_read_only_token_reads_every_route_and_changes_nothing()
    {
        using var created = await Send(api.Host.Authorized, "POST", "/v1/jobs");
        var job = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var values = new Dictionary<string, string>(AnyRouteValues) { ["id"] = job };
        var readToken = File.ReadAllText(ApiTokenFile.ReadOnlyPath(ApiTokenFile.DefaultPath(api.Host.DataDir))).Trim();
        using var reader = api.Host.WithToken(readToken);

        foreach (var (key, method, pattern) in MappedRoutes.Of(api.Host.Endpoints))
        {
            using var response = await Send(reader, method, MappedRoutes.PathOf(pattern, values));
            var body = await Body(response);
            if (method == "GET")
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{key}: {(int)response.StatusCode} {body}");
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{key}: {(int)response.StatusCode} {body}");
            using var problem = JsonDocument.Parse(body);
            Assert.Equal("Read-only token", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains(ApiTokenFile.DefaultPath(api.Host.DataDir), problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var stillThere = JsonDocument.Parse(await api.Host.Authorized.GetStringAsync($"v1/jobs/{job}"));
        Assert.NotEqual("stopped", stillThere.RootElement.GetProperty("status").GetString());
    }

    private async Task AssertTokenProblem(HttpResponseMessage response, string route, string title)
    {
        var body = await Body(response);
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((401, title), (problem.RootElement.GetProperty("status").GetInt32(), problem.RootElement.GetProperty("title").GetString()));
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        foreach (var hint in new[] { "--token", "SCHED_TOKEN", ApiTokenFile.DefaultPath(api.Host.DataDir) })
        {
            Assert.Contains(hint, detail, StringComparison.Ordinal);
        }

        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Reads only the headers: the event stream never ends by itself.</summary>
    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        if (method == "POST" && path.EndsWith("/rerun", StringComparison.Ordinal))
        {
            request.Content = new StringContent("", Encoding.UTF8, "application/json");
        }
        else if (method == "POST")
        {
            request.Content = new StringContent(Manifest, Encoding.UTF8, "application/yaml");
        }
        else if (method == "PATCH")
        {
            request.Content = new StringContent("{\"parallel\": 2}", Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<string> Body(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "(event stream)" : await response.Content.ReadAsStringAsync();
}
