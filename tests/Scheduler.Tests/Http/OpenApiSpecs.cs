using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Http;

/// <summary>GET /openapi/v1.json, generated from the endpoints the API really maps.</summary>
public sealed partial class OpenApiSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    private static readonly JsonSerializerOptions WithoutNulls = new(ApiServer.Json) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [Fact]
    public async Task The_document_is_open_and_lists_every_mapped_route_with_the_token_where_the_route_needs_it()
    {
        using var doc = await Document();
        var paths = doc.RootElement.GetProperty("paths");

        var routes = MappedRoutes.Of(api.Host.Endpoints).Where(r => !r.Key.StartsWith("GET /openapi/", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 9, string.Join(", ", routes.Select(r => r.Key)));
        foreach (var (key, method, pattern) in routes)
        {
            var path = Constraint().Replace(pattern.RawText!, "}");
            var operation = default(JsonElement);
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out operation),
                $"{key} is not in the document as {method} {path}");
            var open = MappedRoutes.Open.Contains(key);
            var responses = operation.GetProperty("responses");
            Assert.Equal(!open, operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(s => s.TryGetProperty(ApiDocs.SecuritySchemeId, out _)));
            Assert.Equal(!open, responses.TryGetProperty("401", out _));
            Assert.True(operation.TryGetProperty("operationId", out _) && operation.TryGetProperty("summary", out _), $"{key} has no name or summary");
        }
    }

    [Fact]
    public async Task The_document_declares_the_bearer_scheme_and_the_submission_s_body_and_answers()
    {
        using var doc = await Document();

        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiDocs.SecuritySchemeId);
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var submit = doc.RootElement.GetProperty("paths").GetProperty("/v1/jobs").GetProperty("post");
        var body = submit.GetProperty("requestBody").GetProperty("content");
        foreach (var type in ManifestFormats.JsonTypes.Concat(ManifestFormats.YamlTypes))
        {
            Assert.Equal("#/components/schemas/JobManifest", body.GetProperty(type).GetProperty("schema").GetProperty("$ref").GetString());
        }

        Assert.Equal(["200", "201", "400", "401", "415", "503"], submit.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.Equal(
            "#/components/schemas/JobDto",
            submit.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(submit.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var manifest = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("JobManifest");
        Assert.Equal(["image"], manifest.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void The_documented_manifest_shape_is_one_the_server_accepts_field_for_field()
    {
        var documented = new JobManifest(
            "my-processor:latest", "my-processor", ["/bin/process", "--verbose"], ["--fast"], new Dictionary<string, string> { ["INPUT"] = "/data/in" }, 7, "batch",
            new ManifestResources("256Mi", 0.5), new ManifestRestart("on-failure", 3, "2s"), new ManifestPlacement("spread", 2, ["node != node1", "arch == arm64"]));
        var json = JsonSerializer.Serialize(documented, WithoutNulls);

        var parsed = ManifestParser.Parse(json, ManifestFormat.Json);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var spec = parsed.Spec!;
        Assert.Equal(("my-processor", 7, 2, 2), (spec.Name, spec.Shards, spec.Placement.Constraints.Length, spec.Placement.MaxShardsPerNode));
        Assert.Equal(["/bin/process", "--verbose", "--fast"], spec.Command.ToArray());
        Assert.Equal((256L << 20, 500, 3), (spec.Resources.MemoryBytes, spec.Resources.MilliCpus, spec.Restart.Attempts));
    }

    private async Task<JsonDocument> Document()
    {
        using var response = await api.Host.Anonymous.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(":[^}]+}")]
    private static partial Regex Constraint();
}
