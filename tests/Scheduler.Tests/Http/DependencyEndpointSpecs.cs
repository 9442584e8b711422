using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.Scheduler.Tests.Http;

/// <summary>after / afterAny in a submission: only jobs that exist may be named, so no cycle can ever form.</summary>
public sealed class DependencyEndpointSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Theory]
    [InlineData("after")]
    [InlineData("afterAny")]
    public async Task A_job_that_does_not_exist_is_refused_naming_the_field_and_nothing_is_stored(string field)
    {
        var before = await JobCount();

        using var response = await Submit($"image: my-processor\n{field}: [nosuch-0a1b2c]");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("names job nosuch-0a1b2c, which does not exist", problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await JobCount());
    }

    [Fact]
    public async Task A_job_after_one_that_runs_is_accepted_and_waits_for_it_saying_so()
    {
        using var first = await Submit("image: my-processor\nresources: {memory: 64Mi, cpus: 0.1}");
        var firstId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        using var then = await Submit($"image: my-processor\nafter: [{firstId}]\nresources: {{memory: 64Mi, cpus: 0.1}}");
        using var job = JsonDocument.Parse(await then.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Created, then.StatusCode);
        Assert.Equal([firstId], job.RootElement.GetProperty("manifest").GetProperty("after").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal($"waits for job {firstId} to succeed", job.RootElement.GetProperty("shards")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_periodic_job_cannot_be_waited_for_as_it_never_ends_by_itself_the_error_says_to_name_a_run()
    {
        using var periodic = await Submit("image: my-processor\nschedule: \"@daily\"\nresources: {memory: 64Mi, cpus: 0.1}");
        var periodicId = JsonDocument.Parse(await periodic.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        using var then = await Submit($"image: my-processor\nafter: [{periodicId}]");
        using var problem = JsonDocument.Parse(await then.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, then.StatusCode);
        Assert.Equal($"names job {periodicId}, which is periodic and never ends by itself; name one of its runs (`sched status {periodicId}` lists them)",
            problem.RootElement.GetProperty("errors").GetProperty("after")[0].GetString());
    }

    private Task<HttpResponseMessage> Submit(string manifest) =>
        api.Host.Authorized.PostAsync(new Uri("v1/jobs", UriKind.Relative), new StringContent(manifest, Encoding.UTF8, "application/yaml"));

    private async Task<int> JobCount()
    {
        using var jobs = JsonDocument.Parse(await api.Host.Authorized.GetStringAsync(new Uri("v1/jobs", UriKind.Relative)));
        return jobs.RootElement.GetArrayLength();
    }
}
