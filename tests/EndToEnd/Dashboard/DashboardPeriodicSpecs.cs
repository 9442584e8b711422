using OpenQA.Selenium;

namespace Sched.EndToEnd.Dashboard;

/// <summary>A periodic job on the dashboard: its schedule and its latest run, which links back to it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardPeriodicSpecs(DashboardSession session)
{
    [Fact]
    public async Task A_periodic_job_shows_its_schedule_and_links_to_its_latest_run_which_links_back()
    {
        var page = session.Page;
        await page.Open("#/submit");
        (await page.WaitFor(By.Id("manifest"))).SendKeys("image: my-processor\nname: every-5s\nschedule: \"*/5 * * * * *\"\nresources:\n  memory: 16Mi\n  cpus: 0.1\n");
        await page.Click(By.CssSelector("form.submit button[type=submit]"));
        await page.Until(() => page.Driver.Url.Contains("#/jobs/every-5s-", StringComparison.Ordinal), "the periodic job's page");
        var periodic = page.Driver.Url[(page.Driver.Url.IndexOf("#/jobs/", StringComparison.Ordinal) + "#/jobs/".Length)..];
        try
        {
            await page.Until(() => Facts(page).Contains("Latest run", StringComparison.Ordinal), "a run started, without a reload", TimeSpan.FromSeconds(60));
            var facts = await page.Read(() => Facts(page));
            Assert.Contains("*/5 * * * * * (UTC)", facts, StringComparison.Ordinal);
            Assert.Contains("scheduled", facts, StringComparison.Ordinal);

            await page.Click(By.CssSelector(".facts dd a"));
            await page.Until(() => Facts(page).Contains($"Run of\n{periodic}", StringComparison.Ordinal), "the run's page naming its periodic job");
        }
        finally
        {
            using var stopped = await session.Agent.Http.DeleteAsync(new Uri($"/v1/jobs/{periodic}", UriKind.Relative));
        }
    }

    private static string Facts(DashboardPage page) => page.Driver.FindElements(By.CssSelector(".facts")).FirstOrDefault()?.Text ?? "";
}
