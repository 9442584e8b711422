using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.Scheduler.Tests.Http;

/// <summary>POST /v1/jobs/{id}/rerun: a finished job's shards run again; a bad request is refused naming the field.</summary>
public sealed class RerunEndpointSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task A_stopped_job_runs_again_with_every_shard_and_each_keeps_its_stopped_attempt()
    {
        var job = await StoppedJob();

        using var response = await Rerun(job, "");
        using var rerun = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("stopped", rerun.RootElement.GetProperty("status").GetString());
        Assert.All(rerun.RootElement.GetProperty("shards").EnumerateArray(), s => Assert.Equal(1, s.GetProperty("rerunAfter").GetInt32()));
        Assert.All(rerun.RootElement.GetProperty("shards").EnumerateArray(), s => Assert.Equal("job stopped", s.GetProperty("history")[0].GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_job_that_still_runs_is_409_and_says_how_to_end_it()
    {
        var job = await Submit();

        using var response = await Rerun(job, "");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"sched stop {job}", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"shards\": [9]}", "shards", "there is no shard 9")]
    [InlineData("{\"shards\": []}", "shards", "a list of shard numbers")]
    [InlineData("{\"shards\": [\"two\"]}", "shards", "got [\"two\"]")]
    [InlineData("{\"shard\": [2]}", "body", "may hold shards and nothing else")]
    [InlineData("{shards", "body", "is not JSON")]
    public async Task A_bad_request_is_400_naming_the_field_and_the_job_stays_as_it_ended(string body, string field, string expected)
    {
        var job = await StoppedJob();

        using var response = await Rerun(job, body);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        using var view = JsonDocument.Parse(await api.Host.Authorized.GetStringAsync(new Uri($"v1/jobs/{job}", UriKind.Relative)));
        Assert.Equal("stopped", view.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unknown_job_is_404()
    {
        using var response = await Rerun("no-such-job", "");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> Submit()
    {
        using var created = await api.Host.Authorized.PostAsync(new Uri("v1/jobs", UriKind.Relative),
            new StringContent("image: my-processor\nshards: 2\nresources: {memory: 64Mi, cpus: 0.1}", Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A job whose shards ran (their attempts are in the history once stopped), then was stopped.</summary>
    private async Task<string> StoppedJob()
    {
        var job = await Submit();
        for (var tries = 0; !await EveryShardRuns(job); tries++)
        {
            Assert.True(tries < 100, $"the shards of {job} did not run within 10 s");
            await Task.Delay(100);
        }

        using var stopped = await api.Host.Authorized.DeleteAsync(new Uri($"v1/jobs/{job}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        return job;
    }

    private async Task<bool> EveryShardRuns(string job)
    {
        using var view = JsonDocument.Parse(await api.Host.Authorized.GetStringAsync(new Uri($"v1/jobs/{job}", UriKind.Relative)));
        return view.RootElement.GetProperty("shards").EnumerateArray().All(s => s.GetProperty("status").GetString() == "running");
    }

    private Task<HttpResponseMessage> Rerun(string job, string body) =>
        api.Host.Authorized.PostAsync(new Uri($"v1/jobs/{job}/rerun", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
}
