using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Sched.EndToEnd.Dashboard;

namespace Sched.Benchmarks.Dashboard;

/// <summary>
/// What the web dashboard costs (issue 20): each page's transfer when loaded afresh, files and JSON together, read
/// from Chromium's own resource timings; and node1's RSS while the dashboard stays open in headless Chromium, moving
/// between its pages as a person would, with the event stream connected throughout.
/// </summary>
public static class DashboardBenchmark
{
    private const double PageGoalKb = 200;
    private const double RssGoalMb = 5;

    /// <summary>The pages, and what each shows once it has read what it needs.</summary>
    private static readonly (string Name, string Route, string Loaded)[] Pages =
    [
        ("nodes", "#/nodes", ".cards[aria-busy=false] article"),
        ("jobs", "#/jobs", "table.jobs tbody tr"),
        ("job", "#/jobs/{job}", ".shards .cell[data-state]"),
        ("submit", "#/submit", "#manifest"),
    ];

    public static async Task<IReadOnlyList<FigureRow>> Run(
        TextWriter output, Uri address, string token, int agentPid, string jobId, int nodes, TimeSpan open)
    {
        using var driver = HeadlessChromium.Start();
        var root = new Uri(address, "/ui/");
        driver.Navigate().GoToUrl(root);
        driver.FindElement(By.Id("token")).SendKeys(token);
        driver.FindElement(By.CssSelector("#login button[type=submit]")).Click();
        await Until(() => driver.FindElement(By.Id("nav")).Displayed, "signed in");

        var transfers = new List<(string Page, double Files, double Json)>();
        foreach (var (name, route, loaded) in Pages)
        {
            var (files, json) = await FreshLoad(driver, new Uri(root, route.Replace("{job}", jobId, StringComparison.Ordinal)), loaded);
            transfers.Add((name, files, json));
            output.WriteLine($"dashboard: {name} page {Kb(files + json)} KB ({Kb(files)} KB of files, {Kb(json)} KB of JSON)");
        }

        var (before, halfway, after, peak) = await RssWhileOpen(driver, root, jobId, agentPid, open, output);
        var largest = transfers.MaxBy(t => t.Files + t.Json);
        return
        [
            new FigureRow($"dashboard page transfer ({nodes} nodes, 7 shards)",
                string.Join(", ", transfers.Select(t => $"{t.Page} {Kb(t.Files + t.Json)} KB")),
                $"<= {PageGoalKb:0} KB", (largest.Files + largest.Json) / 1024 <= PageGoalKb, "Nomad UI: ~2 MB of JS"),
            new FigureRow($"node1 RSS rise, dashboard open {open.TotalMinutes:0.#} min",
                $"{after - before:+0.0;-0.0} MB ({before:0.0} -> {after:0.0}, peak {peak:0.0}; {after - halfway:+0.0;-0.0} in the 2nd half)", $"<= {RssGoalMb:0} MB",
                after - before <= RssGoalMb, "-"),
        ];
    }

    /// <summary>
    /// Loads the page with the browser's cache off and counts every byte it fetched until it shows
    /// <paramref name="loaded"/>: the files (the document, scripts, style sheet) apart from the JSON the page read.
    /// </summary>
    private static async Task<(double Files, double Json)> FreshLoad(ChromeDriver driver, Uri page, string loaded)
    {
        driver.ExecuteCdpCommand("Network.enable", []);
        driver.ExecuteCdpCommand("Network.setCacheDisabled", new Dictionary<string, object?> { ["cacheDisabled"] = true });
        driver.Navigate().GoToUrl("about:blank");
        driver.Navigate().GoToUrl(page);
        await Until(() => driver.FindElements(By.CssSelector(loaded)).Count > 0, $"{page} showing {loaded}");
        await Task.Delay(TimeSpan.FromSeconds(1)); // requests still finishing: their entries appear when they end
        var entries = (IReadOnlyCollection<object>)driver.ExecuteScript(
            "return performance.getEntries().filter(e => 'transferSize' in e).map(e => [e.initiatorType, e.transferSize])")!;
        double files = 0, json = 0;
        foreach (var entry in entries.Cast<IReadOnlyList<object>>())
        {
            var bytes = Convert.ToDouble(entry[1], System.Globalization.CultureInfo.InvariantCulture);
            if ((string)entry[0] == "fetch")
            {
                json += bytes;
            }
            else
            {
                files += bytes;
            }
        }

        driver.ExecuteCdpCommand("Network.setCacheDisabled", new Dictionary<string, object?> { ["cacheDisabled"] = false });
        return (files, json);
    }

    /// <summary>
    /// node1's RSS over <paramref name="open"/>, the dashboard moving to another page every 20 s: at the start, half-way
    /// (what the first use of each page cost, JIT and buffers, lies mostly before it; growth would go on after it), at the end.
    /// </summary>
    private static async Task<(double Before, double Halfway, double After, double Peak)> RssWhileOpen(
        ChromeDriver driver, Uri root, string jobId, int pid, TimeSpan open, TextWriter output)
    {
        driver.Navigate().GoToUrl(new Uri(root, "#/nodes"));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var before = ProcessMemory.RssMb(pid);
        var peak = before;
        double? halfway = null;
        var routes = new[] { "#/nodes", "#/jobs", $"#/jobs/{jobId}" };
        var clock = Stopwatch.StartNew();
        for (var step = 1; clock.Elapsed < open; step++)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(20, Math.Max(1, (open - clock.Elapsed).TotalSeconds))));
            driver.Navigate().GoToUrl(new Uri(root, routes[step % routes.Length]));
            peak = Math.Max(peak, ProcessMemory.RssMb(pid));
            if (halfway is null && clock.Elapsed >= open / 2)
            {
                halfway = ProcessMemory.RssMb(pid);
            }

            if (step % 3 == 0)
            {
                output.WriteLine($"dashboard: {clock.Elapsed.TotalSeconds:0} s open, node1 RSS {ProcessMemory.RssMb(pid):0.0} MB");
            }
        }

        var live = (string)driver.ExecuteScript("return document.getElementById('live').textContent")!;
        var after = ProcessMemory.RssMb(pid);
        output.WriteLine($"dashboard: open {open.TotalSeconds:0} s, event stream '{live}'; node1 RSS {before:0.0} -> {after:0.0} MB, peak {Math.Max(peak, after):0.0} MB");
        return (before, halfway ?? before, after, Math.Max(peak, after));
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!Holds(condition))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"dashboard: not {what} within 60 s");
            }

            await Task.Delay(200);
        }
    }

    private static bool Holds(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (WebDriverException)
        {
            return false;
        }
    }

    private static string Kb(double bytes) => $"{bytes / 1024:0.0}";
}
