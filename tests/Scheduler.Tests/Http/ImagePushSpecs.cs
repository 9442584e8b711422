using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Http;

/// <summary>POST /v1/images refuses what it cannot load, saying what to send and where; the real load is end-to-end.</summary>
public sealed class ImagePushSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task A_body_that_is_not_an_image_archive_is_415_naming_the_type_to_send()
    {
        using var response = await Push("{\"image\": \"my-processor\"}", "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(ImagePush.ContentType, await Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_without_podman_is_409_and_says_to_push_to_a_worker()
    {
        using var response = await Push("not really a tar", ImagePush.ContentType);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("a node that runs podman", await Detail(response), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> Push(string body, string contentType)
    {
        var content = new StringContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await api.Host.Authorized.PostAsync(new Uri("v1/images", UriKind.Relative), content);
    }

    private static async Task<string> Detail(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
