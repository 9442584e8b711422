using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.Scheduler.Tests.Http;

/// <summary>POST /v1/jobs?dryRun=true answers the would-be job and stores nothing; a bad dryRun is named.</summary>
public sealed class DryRunSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    private const string Manifest = "name: dry-run\nimage: my-processor\nshards: 3\nresources: {memory: 64Mi, cpus: 0.1}";

    [Fact]
    public async Task A_dry_run_answers_200_with_every_shard_and_the_job_list_does_not_change()
    {
        var before = await JobIds();

        using var response = await Post("v1/jobs?dryRun=true");
        using var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, job.RootElement.GetProperty("shards").GetArrayLength());
        Assert.Equal(before, await JobIds());
        Assert.DoesNotContain(job.RootElement.GetProperty("id").GetString(), before);
    }

    [Fact]
    public async Task A_dry_run_value_other_than_true_or_false_is_400_naming_it()
    {
        using var response = await Post("v1/jobs?dryRun=yes");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'yes' is not true or false", problem.RootElement.GetProperty("errors").GetProperty("dryRun")[0].GetString(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> Post(string path) =>
        api.Host.Authorized.PostAsync(new Uri(path, UriKind.Relative), new StringContent(Manifest, Encoding.UTF8, "application/yaml"));

    private async Task<List<string>> JobIds()
    {
        using var jobs = JsonDocument.Parse(await api.Host.Authorized.GetStringAsync(new Uri("v1/jobs", UriKind.Relative)));
        return [.. jobs.RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetString()!)];
    }
}
