using System.Net;
using OpenQA.Selenium;

namespace Sched.EndToEnd.Dashboard;

/// <summary>Issue 20, acceptance 3: without the token the dashboard shows its sign-in form, and the API refuses every call.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardSignInSpecs(DashboardSession session) : IDisposable
{
    private readonly HttpClient _anonymous = new() { BaseAddress = new Uri(session.Agent.Address), Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _anonymous.Dispose();

    [Fact]
    public async Task Without_a_token_each_page_shows_the_sign_in_form_and_a_wrong_token_keeps_it_there_saying_so()
    {
        var page = session.Page;
        foreach (var route in new[] { "", "#/nodes", "#/jobs", "#/submit" })
        {
            page.OpenSignedOut(route);

            Assert.True((await page.WaitFor(By.Id("token"))).Displayed, $"no sign-in form at /ui/{route}");
            Assert.False(page.Driver.FindElement(By.Id("nav")).Displayed);
            Assert.Empty(page.Driver.FindElements(By.CssSelector("#page *")));
        }

        await page.SignIn("not-this-agent-s-token");

        await page.Until(() => page.Driver.FindElement(By.Id("login-error")).Text.Contains("Wrong token", StringComparison.Ordinal), "the refusal on the form");
        Assert.True(page.Driver.FindElement(By.Id("token")).Displayed);
        Assert.DoesNotContain(session.Agent.NodeName, page.Visible(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_files_are_served_without_a_token_but_every_api_call_its_pages_make_is_refused_without_one()
    {
        foreach (var file in new[] { "ui/", "ui/app.js", "ui/app.css" })
        {
            using var response = await _anonymous.GetAsync(new Uri(file, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {(int)response.StatusCode}");
        }

        foreach (var call in new[] { "v1/nodes", "v1/jobs?limit=50", "v1/events", "v1/jobs/my-processor-000000", "v1/jobs/my-processor-000000/shards/1/logs?follow=true" })
        {
            using var response = await _anonymous.GetAsync(new Uri(call, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{call}: {(int)response.StatusCode}");
        }
    }
}
