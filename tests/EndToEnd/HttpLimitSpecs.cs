using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.EndToEnd;

/// <summary>Hostile submissions to a real `sched agent --dev`: each gets its problem document, and the agent goes on serving.</summary>
[Collection(DevAgentCollection.Name)]
public sealed class HttpLimitSpecs(DevAgent agent)
{
    [Fact]
    public async Task A_two_mebibyte_body_is_answered_413()
    {
        var body = "image: my-processor\nenv:\n  BIG: \"" + new string('x', 2 * 1024 * 1024) + "\"\n";

        var (status, problem) = await Submit(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("1024 KiB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yaml_nested_twenty_thousand_deep_is_answered_400_naming_the_manifest()
    {
        var (status, problem) = await Submit("image: my-processor\ncommand: " + new string('[', 20_000) + new string(']', 20_000) + "\n");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("nested more than", Errors(problem, "manifest"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_yaml_alias_bomb_is_answered_400_naming_the_manifest()
    {
        var bomb = new StringBuilder("image: my-processor\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            bomb.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        var (status, problem) = await Submit(bomb.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("aliases", Errors(problem, "manifest"), StringComparison.Ordinal);
        using var nodes = await agent.Http.GetAsync(new Uri("/v1/nodes", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, nodes.StatusCode);
    }

    private async Task<(HttpStatusCode Status, JsonElement Problem)> Submit(string yaml)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/jobs", UriKind.Relative)) { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        request.Headers.ExpectContinue = true; // as curl does for a large body: the 413 comes before the body is sent
        using var response = await agent.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        return (response.StatusCode, problem.RootElement.Clone());
    }

    private static string Errors(JsonElement problem, string field) =>
        string.Join("; ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()));
}
