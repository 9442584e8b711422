using System.Net;
using System.Text;
using System.Text.Json;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Http;

/// <summary>What one request may cost a board: a bounded body, and a manifest refused while it is read.</summary>
public sealed class RequestLimitSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task A_two_mebibyte_body_is_answered_413_with_a_problem_and_nothing_is_stored()
    {
        var huge = "image: my-processor\nenv:\n" + string.Concat(Enumerable.Range(0, 40_000).Select(i => $"  K{i}: \"{new string('x', 40)}\"\n"));
        Assert.True(Encoding.UTF8.GetByteCount(huge) > 2 * 1024 * 1024 - 1);
        var before = await JobCount();

        using var response = await api.Host.Authorized.PostAsync("v1/jobs", new StringContent(huge, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains($"{ApiServer.MaxRequestBodyBytes / 1024} KiB", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await JobCount());
    }

    [Fact]
    public async Task A_yaml_body_nested_twenty_thousand_deep_is_a_400_naming_the_manifest()
    {
        var body = "image: x\ncommand: " + new string('[', 20_000) + new string(']', 20_000) + "\n";

        using var response = await api.Host.Authorized.PostAsync("v1/jobs", new StringContent(body, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nested more than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<int> JobCount()
    {
        using var jobs = JsonDocument.Parse(await api.Host.Authorized.GetStringAsync("v1/jobs"));
        return jobs.RootElement.GetArrayLength();
    }
}
