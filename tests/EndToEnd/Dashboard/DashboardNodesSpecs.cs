using OpenQA.Selenium;

namespace Sched.EndToEnd.Dashboard;

/// <summary>Issue 20: the nodes page, one card per board, kept current by the event stream.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardNodesSpecs(DashboardSession session)
{
    [Fact]
    public async Task After_signing_in_the_node_shows_up_and_a_job_started_meanwhile_appears_on_its_card_without_a_reload()
    {
        var page = session.Page;
        page.OpenSignedOut("#/nodes");
        await page.SignIn(session.Agent.Token);
        var card = By.CssSelector($"article[data-node='{session.Agent.NodeName}']");
        await page.Until(() => page.Driver.FindElement(card).Text.Contains("up", StringComparison.Ordinal), "the node's card, up");
        page.MarkDocument();
        var text = await page.Read(() => page.Driver.FindElement(card).Text);
        Assert.Matches(@"CPU [\d.]+ cores allocated, [\d.]+ cores free, [\d.]+ cores reserved of [\d.]+ cores", text);
        Assert.Matches(@"Memory [\d.]+[MG]i allocated, [\d.]+[MG]i free, [\d.]+[MG]i reserved of [\d.]+[MG]i", text);
        Assert.Equal(2, await page.Read(() => page.Driver.FindElement(card).FindElements(By.CssSelector(".bar[role=img][aria-label]")).Count));

        var run = await session.Agent.Sched("run", "sched-test-busybox", "--type", "service", "--shards", "2", "--memory", "64Mi", "--cpus", "0.25",
            "--name", "dashboard-nodes", "--detach", "--", "sleep", "3600");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            await page.Until(() => page.Driver.FindElement(card).Text.Contains("2 shards running or placed here", StringComparison.Ordinal),
                "the job's 2 shards on the card", TimeSpan.FromMinutes(2));
            var loaded = await page.Read(() => page.Driver.FindElement(card).Text);
            Assert.Matches(@"CPU 0\.5 cores allocated", loaded);
            Assert.Matches(@"Memory 128Mi allocated", loaded);
            Assert.True(page.SameDocument(), "the page reloaded to show the job's shards");
            page.Screenshot("dashboard-nodes");
        }
        finally
        {
            await session.Agent.Sched("stop", run.Stdout.Trim());
        }
    }
}
