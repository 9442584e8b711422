using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.Json;

namespace Sched.EndToEnd;

/// <summary>The API token of a real `sched agent --dev`, used as a person would: with curl's eyes, and with the CLI.</summary>
[Collection(DevAgentCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class TokenSpecs(DevAgent agent) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(agent.Address), Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Without_the_token_the_api_answers_401_with_a_problem_naming_the_token_file_and_with_it_200()
    {
        using var without = await _http.GetAsync(new Uri("v1/jobs", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Token);
        using var with = await _http.SendAsync(request);
        using var health = await _http.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await without.Content.ReadAsStringAsync());
        Assert.Contains(agent.TokenFile, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(agent.TokenFile));
    }

    [Fact]
    public async Task The_cli_finds_the_token_by_itself_in_the_data_dir_of_the_agent()
    {
        var nodes = await Cli(new() { ["SCHED_DATA_DIR"] = agent.DataDir }, "nodes");

        Assert.True(nodes.ExitCode == 0, nodes.ToString());
        Assert.Contains($"{agent.NodeName}  up", nodes.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_uses_SCHED_TOKEN_and_a_wrong_one_exits_2_saying_so_for_requests_and_streams_alike()
    {
        var right = await Cli(new() { ["SCHED_TOKEN"] = agent.Token }, "jobs");
        var wrong = await Cli(new() { ["SCHED_TOKEN"] = "not-this-agent-s-token" }, "jobs");
        var wrongWatch = await Cli(new() { ["SCHED_TOKEN"] = "not-this-agent-s-token" }, "watch");

        Assert.True(right.ExitCode == 0, right.ToString());
        foreach (var refused in new[] { wrong, wrongWatch })
        {
            Assert.True(refused.ExitCode == 2, refused.ToString());
            foreach (var expected in new[] { "refused the token from SCHED_TOKEN", "Wrong token", "--token", agent.TokenFile })
            {
                Assert.Contains(expected, refused.Stderr, StringComparison.Ordinal);
            }
        }
    }

    private Task<ProcessResult> Cli(Dictionary<string, string> env, params string[] args)
    {
        env["SCHED_ADDR"] = agent.Address;
        return Processes.RunAsync(Repo.SchedBinary, args, env);
    }
}
