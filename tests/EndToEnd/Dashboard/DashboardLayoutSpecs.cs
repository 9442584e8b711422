using System.Drawing;
using OpenQA.Selenium;

namespace Sched.EndToEnd.Dashboard;

/// <summary>Issue 20: the dashboard reads on a phone through the jump host.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardLayoutSpecs(DashboardSession session)
{
    [Fact]
    public async Task On_a_phone_wide_window_every_page_fits_without_sideways_scrolling()
    {
        var run = await session.Agent.Sched("run", "my-processor", "--shards", "7", "--memory", "16Mi", "--cpus", "0.1", "--detach");
        Assert.True(run.ExitCode == 0, run.ToString());
        var page = session.Page;
        var window = page.Driver.Manage().Window;
        var desktop = window.Size;
        try
        {
            window.Size = new Size(390, 844);
            await page.Open("#/nodes");
            foreach (var (route, shows) in new[]
            {
                ("#/nodes", "article.card"), ("#/jobs", "table.jobs tbody tr"), ($"#/jobs/{run.Stdout.Trim()}", ".shards .cell"), ("#/submit", "#manifest"),
            })
            {
                page.Driver.Navigate().GoToUrl(new Uri(page.Root, route));
                await page.WaitFor(By.CssSelector(shows));

                var (content, viewport) = Widths(page);
                Assert.True(content <= viewport, $"{route} is {content} px wide in a {viewport} px window");
                Assert.True(page.Driver.FindElement(By.CssSelector("#nav a[href='#/jobs']")).Displayed);
            }
        }
        finally
        {
            window.Size = desktop;
        }
    }

    private static (long Content, long Viewport) Widths(DashboardPage page)
    {
        var widths = (IReadOnlyList<object>)page.Driver.ExecuteScript("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")!;
        return ((long)widths[0], (long)widths[1]);
    }
}
