using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.Scheduler.Tests.Http;

/// <summary>PATCH /v1/jobs/{id}: a running job's parallel limit changes; anything else is refused naming the field.</summary>
public sealed class ScaleEndpointSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Theory]
    [InlineData("{\"parallel\": 0}", "parallel", "from 1 to 10000")]
    [InlineData("{\"parallel\": \"four\"}", "parallel", "got \"four\"")]
    [InlineData("{\"shards\": 4}", "body", "must hold parallel and nothing else")]
    [InlineData("[4]", "body", "must hold parallel and nothing else")]
    [InlineData("{parallel", "body", "is not JSON")]
    public async Task A_bad_change_is_answered_400_naming_the_field_and_the_job_keeps_its_limit(string body, string field, string expected)
    {
        var job = await Submit("image: my-processor\nshards: 4\nparallel: 2\nresources: {memory: 64Mi, cpus: 0.1}");

        using var response = await Patch(job, body);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await Manifest(job)).GetProperty("parallel").GetInt32());
    }

    [Fact]
    public async Task A_new_limit_is_kept_in_the_job_s_manifest_and_null_lifts_it()
    {
        var job = await Submit("image: my-processor\nshards: 4\nparallel: 2\nresources: {memory: 64Mi, cpus: 0.1}");

        using var wider = await Patch(job, "{\"parallel\": 3}");
        var afterWider = await Manifest(job);
        using var lifted = await Patch(job, "{\"parallel\": null}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (wider.StatusCode, lifted.StatusCode));
        Assert.Equal(3, afterWider.GetProperty("parallel").GetInt32());
        Assert.False((await Manifest(job)).TryGetProperty("parallel", out _));
    }

    [Fact]
    public async Task An_unknown_job_is_404()
    {
        using var response = await Patch("no-such-job", "{\"parallel\": 3}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> Submit(string manifest)
    {
        using var created = await api.Host.Authorized.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent(manifest, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private Task<HttpResponseMessage> Patch(string job, string body) =>
        api.Host.Authorized.PatchAsync(new Uri($"v1/jobs/{job}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> Manifest(string job)
    {
        using var view = JsonDocument.Parse(await api.Host.Authorized.GetStringAsync(new Uri($"v1/jobs/{job}", UriKind.Relative)));
        return view.RootElement.GetProperty("manifest").Clone();
    }
}
