using OpenQA.Selenium;

namespace Sched.EndToEnd.Dashboard;

/// <summary>Issue 20, acceptance 1: jobs submitted, watched, read and stopped from the dashboard, on real podman.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardJobSpecs(DashboardSession session)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_seven_shard_job_submitted_from_the_page_turns_succeeded_cell_by_cell_without_a_reload_and_a_shard_s_log_shows_its_line()
    {
        var page = session.Page;
        await page.Open("#/submit");
        page.MarkDocument();
        (await page.WaitFor(By.Id("manifest"))).SendKeys("image: my-processor\nshards: 7\nresources:\n  memory: 16Mi\n  cpus: 0.1\n");
        await page.Click(By.CssSelector("form.submit button[type=submit]"));

        await page.Until(() => page.Driver.Url.Contains("#/jobs/my-processor-", StringComparison.Ordinal), "the job's page after submitting");
        var jobId = page.Driver.Url[(page.Driver.Url.IndexOf("#/jobs/", StringComparison.Ordinal) + "#/jobs/".Length)..];
        await page.Until(() => States(page).Count(s => s == "succeeded") == 7, "all 7 shards succeeded", JobTimeout);
        Assert.True(page.SameDocument(), "the page reloaded to show the shards");
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"shard {i}: succeeded on {session.Agent.NodeName}, attempt 1, exit code 0"),
            await page.Read(() => page.Driver.FindElements(By.CssSelector(".shards .cell")).Select(c => c.GetAttribute("aria-label")).ToList()));
        await page.Until(() => page.Driver.FindElement(By.CssSelector(".facts")).Text.Contains("complete", StringComparison.Ordinal), "the job complete");
        page.Screenshot("dashboard-job");

        await page.Click(By.CssSelector(".shards .cell[data-shard='1']"));
        page.Driver.SwitchTo().ActiveElement().SendKeys(Keys.ArrowRight);
        Assert.Equal("2", page.Driver.SwitchTo().ActiveElement().GetAttribute("data-shard"));
        Assert.Equal("Shard 2", await page.Read(() => page.Driver.FindElement(By.CssSelector(".detail h4")).Text));
        page.Driver.SwitchTo().ActiveElement().SendKeys(Keys.ArrowRight);
        Assert.Equal("Shard 3", await page.Read(() => page.Driver.FindElement(By.CssSelector(".detail h4")).Text));
        await page.Click(By.LinkText("Log of shard 3"));
        await page.Until(() => page.Driver.FindElement(By.CssSelector("pre.log")).Text.Contains($"shard 3/7 on {session.Agent.NodeName}: summed", StringComparison.Ordinal),
            "shard 3's printed line in its log");
        Assert.True(page.SameDocument(), "the log page reloaded the dashboard");
        Assert.Equal(jobId, (await session.Agent.Job(jobId)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_bad_manifest_shows_each_field_error_beneath_the_line_that_holds_the_field_and_stores_nothing()
    {
        var page = session.Page;
        var before = (await session.Agent.Jobs()).Count;
        await page.Open("#/submit");
        (await page.WaitFor(By.Id("manifest"))).SendKeys("image: my-processor\nshards: 0\nresources:\n  memory: lots\n");
        await page.Click(By.CssSelector("form.submit button[type=submit]"));

        await page.Until(() => page.Driver.FindElements(By.CssSelector(".annotated .error")).Count == 2, "two field errors");
        var shards = page.Driver.FindElement(By.CssSelector(".annotated li[data-line='2'] .error")).Text;
        var memory = page.Driver.FindElement(By.CssSelector(".annotated li[data-line='4'] .error")).Text;
        Assert.StartsWith("Line 2, shards: must be a whole number from 1 to 10000", shards, StringComparison.Ordinal);
        Assert.StartsWith("Line 4, resources.memory: ", memory, StringComparison.Ordinal);
        Assert.Contains("is not a size", memory, StringComparison.Ordinal);
        Assert.Contains("2 errors. Nothing was stored.", page.Visible(), StringComparison.Ordinal);
        Assert.Equal("true", page.Driver.FindElement(By.Id("manifest")).GetAttribute("aria-invalid"));
        Assert.Equal(before, (await session.Agent.Jobs()).Count);
    }

    [Fact]
    public async Task A_running_service_job_is_scaled_and_stopped_from_its_page_and_its_containers_go()
    {
        var run = await session.Agent.Sched("run", "sched-test-busybox", "--type", "service", "--shards", "2", "--memory", "16Mi", "--cpus", "0.1",
            "--detach", "--", "sleep", "3600");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        var page = session.Page;
        await page.Open($"#/jobs/{jobId}");
        page.MarkDocument();
        await page.Until(() => States(page).Count(s => s == "running") == 2, "both shards running", JobTimeout);

        (await page.WaitFor(By.Id("parallel"))).SendKeys("1");
        await page.Click(By.CssSelector("form.scale button[type=submit]"));
        await page.Until(() => page.Visible().Contains("At most 1 shards at once.", StringComparison.Ordinal), "the scale confirmed");
        Assert.Equal(1, (await session.Agent.Job(jobId)).GetProperty("manifest").GetProperty("parallel").GetInt32());

        await page.Click(By.XPath("//button[text()='Stop job']"));
        await page.Click(By.XPath("//button[text()='Yes, stop it']"));
        await page.Until(() => page.Driver.FindElement(By.CssSelector(".facts")).Text.Contains("stopped", StringComparison.Ordinal), "the job shown stopped");
        await Wait.Until(async () => (await PodmanStore.Machine.ContainersOfJob(jobId)).Count == 0, what: $"the containers of {jobId} removed");
        Assert.True(page.SameDocument(), "the page reloaded to show the job stopped");
        Assert.Equal("stopped", (await session.Agent.Job(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rerun_from_the_page_runs_only_the_shard_that_failed_again()
    {
        var run = await session.Agent.Sched("run", "sched-test-busybox", "--shards", "3", "--memory", "16Mi", "--cpus", "0.1", "--restart", "never",
            "--", "sh", "-c", "test \"$SHARD\" != 2");
        Assert.Equal(1, run.ExitCode);
        var jobId = run.Stdout.Split("job ", 2)[1].Split(':', 2)[0];
        var page = session.Page;
        await page.Open($"#/jobs/{jobId}");
        page.MarkDocument();
        await page.Until(() => page.Driver.FindElement(By.CssSelector(".facts")).Text.Contains("failed", StringComparison.Ordinal), "the job shown failed");

        await page.Click(By.XPath("//button[text()='Rerun shards that did not succeed']"));

        await page.Until(() => Labels(page).Any(l => l?.StartsWith("shard 2: failed", StringComparison.Ordinal) == true && l.Contains("attempt 2", StringComparison.Ordinal)),
            "shard 2 failed again, at its second attempt", JobTimeout);
        var labels = await page.Read(() => Labels(page));
        Assert.Contains("attempt 1", labels[0], StringComparison.Ordinal);
        Assert.Contains("attempt 1", labels[2], StringComparison.Ordinal);
        Assert.True(page.SameDocument(), "the page reloaded to show the rerun");
        Assert.Equal(2, (await session.Agent.Job(jobId)).GetProperty("shards")[1].GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task Seven_hundred_shards_that_cannot_be_placed_show_as_small_cells_under_the_reason_they_wait_in_words()
    {
        var run = await session.Agent.Sched("run", "sched-test-busybox", "--shards", "700", "--memory", "100Ti", "--cpus", "0.1", "--detach", "--", "true");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        try
        {
            var page = session.Page;
            await page.Open($"#/jobs/{jobId}");

            await page.Until(() => page.Driver.FindElement(By.CssSelector(".waiting")).Text.Contains("Shards 1-700: needs 100Ti memory", StringComparison.Ordinal),
                "the reason all 700 shards wait");
            Assert.Equal(700, await page.Read(() => States(page).Count(s => s == "pending")));
            Assert.Contains("dense", await page.Read(() => page.Driver.FindElement(By.CssSelector(".shards")).GetAttribute("class")), StringComparison.Ordinal);
            Assert.StartsWith("shard 700: pending, attempt 0 (needs 100Ti memory",
                await page.Read(() => page.Driver.FindElement(By.CssSelector(".cell[data-shard='700']")).GetAttribute("aria-label")), StringComparison.Ordinal);
            Assert.Contains("700 pending", await page.Read(() => page.Driver.FindElement(By.CssSelector(".legend")).Text), StringComparison.Ordinal);
            page.Screenshot("dashboard-job-700");
        }
        finally
        {
            await session.Agent.Sched("stop", jobId);
        }
    }

    private static List<string?> States(DashboardPage page) =>
        [.. page.Driver.FindElements(By.CssSelector(".shards .cell")).Select(c => c.GetAttribute("data-state"))];

    private static List<string?> Labels(DashboardPage page) =>
        [.. page.Driver.FindElements(By.CssSelector(".shards .cell")).Select(c => c.GetAttribute("aria-label"))];
}
