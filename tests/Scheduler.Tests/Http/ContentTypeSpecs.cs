using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.Scheduler.Tests.Http;

/// <summary>Which Content-Types a manifest may come in, and what any other type is told.</summary>
public sealed class ContentTypeSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("text/json")]
    [InlineData("application/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("text/yaml")]
    [InlineData("text/x-yaml")]
    [InlineData("application/yaml; charset=utf-8")]
    public async Task A_manifest_in_each_manifest_type_is_accepted(string contentType)
    {
        var body = contentType.Contains("json", StringComparison.Ordinal) ? """{ "image": "my-processor" }""" : "image: my-processor\n";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await api.Host.Authorized.PostAsync("v1/jobs", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Any_other_type_is_answered_415_with_a_problem_naming_it_and_the_manifest_types(string contentType)
    {
        using var content = new StringContent("image: my-processor\n", Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await api.Host.Authorized.PostAsync("v1/jobs", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains($"'{contentType}'", detail, StringComparison.Ordinal);
        Assert.Contains("application/json or application/yaml", detail, StringComparison.Ordinal);
    }
}
