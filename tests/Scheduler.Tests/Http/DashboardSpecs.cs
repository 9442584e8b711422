using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Sched.Scheduler.Http.Dashboard;

namespace Sched.Scheduler.Tests.Http;

/// <summary>The dashboard's files as the node serves them from its binary under /ui (issue 20).</summary>
public sealed partial class DashboardSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    /// <summary>What all the files may weigh together: the page budget is 200 KB, and the JSON a page loads needs room too.</summary>
    private const int AssetBudgetBytes = 48 * 1024;

    [Fact]
    public async Task Slash_ui_redirects_to_the_page_which_is_served_as_html_under_a_policy_that_loads_only_this_node_s_files()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Host.Anonymous.BaseAddress };

        using var redirect = await noRedirects.GetAsync(new Uri("/ui", UriKind.Relative));
        using var page = await noRedirects.GetAsync(new Uri("/ui/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/ui/", redirect.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form id=\"login\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    [InlineData("index.html", "text/html")]
    public async Task Each_file_is_served_without_a_token_with_its_content_type_and_utf8(string file, string type)
    {
        using var response = await api.Host.Anonymous.GetAsync(new Uri($"/ui/{file}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(DashboardAssets.All[file].Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_unchanged_file_is_answered_304_without_a_body_when_the_browser_sends_its_etag()
    {
        using var first = await api.Host.Anonymous.GetAsync(new Uri("/ui/app.js", UriKind.Relative));
        var etag = first.Headers.ETag;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        again.Headers.IfNoneMatch.Add(etag!);

        using var revalidated = await api.Host.Anonymous.SendAsync(again);

        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, revalidated.Headers.ETag);
    }

    [Theory]
    [InlineData("no-such-file.js")]
    [InlineData("..%2Fapi-token")]
    [InlineData("APP.JS")]
    public async Task A_file_the_dashboard_does_not_have_is_a_404_problem(string file)
    {
        using var response = await api.Host.Anonymous.GetAsync(new Uri($"/ui/{file}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Every_file_the_page_and_its_modules_load_is_embedded_and_all_of_them_stay_within_the_budget()
    {
        var assets = DashboardAssets.All;
        var loaded = assets.Values
            .Where(a => a.Name.EndsWith(".html", StringComparison.Ordinal) || a.Name.EndsWith(".js", StringComparison.Ordinal))
            .SelectMany(a => LocalReference().Matches(Encoding.UTF8.GetString(a.Content)).Select(m => (From: a.Name, File: m.Groups["file"].Value)))
            .ToList();

        Assert.Contains(loaded, r => r.File == "app.js");
        Assert.Contains(loaded, r => r.File == "app.css");
        Assert.All(loaded, r => Assert.True(assets.ContainsKey(r.File), $"{r.From} loads {r.File}, which is not embedded"));
        Assert.All(assets.Keys.Where(k => k != DashboardAssets.Index), k => Assert.Contains(loaded, r => r.File == k));
        Assert.True(assets.Values.Sum(a => a.Content.Length) <= AssetBudgetBytes,
            $"the dashboard's files weigh {assets.Values.Sum(a => a.Content.Length)} bytes together; the budget is {AssetBudgetBytes}");
    }

    /// <summary>src="app.js", href="app.css" and from './nodes.js': the page's own files, by name.</summary>
    [GeneratedRegex("""(?:src|href)="(?<file>[\w.-]+\.(?:js|css))"|from '\./(?<file>[\w.-]+\.js)'""")]
    private static partial Regex LocalReference();
}
