using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Sched.EndToEnd.Dashboard;

/// <summary>The dashboard of <paramref name="agent"/> in the shared browser, used as a person uses it: through what the page shows.</summary>
public sealed class DashboardPage(ChromeDriver driver, DevAgent agent)
{
    public ChromeDriver Driver => driver;

    public Uri Root => new($"{agent.Address}/ui/");

    /// <summary>Loads the dashboard afresh, with no token kept from an earlier test.</summary>
    public void OpenSignedOut(string route = "")
    {
        driver.Navigate().GoToUrl(Root);
        driver.ExecuteScript("sessionStorage.clear()");
        driver.Navigate().GoToUrl(new Uri(Root, route));
        driver.Navigate().Refresh();
    }

    /// <summary>Types the token into the sign-in form, as a person pastes it.</summary>
    public async Task SignIn(string token)
    {
        var field = await WaitFor(By.Id("token"));
        field.Clear();
        field.SendKeys(token);
        driver.FindElement(By.CssSelector("#login button[type=submit]")).Click();
    }

    /// <summary>Signed in with the agent's token, at <paramref name="route"/> (e.g. "#/jobs").</summary>
    public async Task Open(string route)
    {
        OpenSignedOut();
        await SignIn(agent.Token);
        await Until(() => driver.FindElement(By.Id("nav")).Displayed, "the navigation after signing in");
        driver.Navigate().GoToUrl(new Uri(Root, route));
    }

    /// <summary>Follows a link or presses a button once the page shows it.</summary>
    public async Task Click(By by) => (await WaitFor(by)).Click();

    /// <summary>The first element the page shows that <paramref name="by"/> finds, once there is one.</summary>
    public async Task<IWebElement> WaitFor(By by)
    {
        IWebElement? found = null;
        await Until(() => (found = driver.FindElements(by).FirstOrDefault(e => e.Displayed)) is not null, $"an element {by}");
        return found!;
    }

    /// <summary>Waits until the page shows what <paramref name="condition"/> looks for; a page being redrawn meanwhile is looked at again.</summary>
    public Task<TimeSpan> Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Wait.Until(
            () =>
            {
                try
                {
                    return condition();
                }
                catch (WebDriverException)
                {
                    return false;
                }
            },
            timeout, what, () => Task.FromResult($"{driver.Url}\n{Visible()}\nbrowser console:\n{Console()}"));

    /// <summary>
    /// Reads what the page shows now. A live page redraws a card or a table when an event arrives, which can take an
    /// element away between finding it and reading it: then it is read again.
    /// </summary>
    public async Task<T> Read<T>(Func<T> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return read();
            }
            catch (StaleElementReferenceException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The text the page shows now.</summary>
    public string Visible() => driver.FindElement(By.TagName("body")).Text;

    /// <summary>What the page wrote to the browser's console since the last time it was read: errors a failing test should show.</summary>
    public string Console() =>
        string.Join('\n', driver.Manage().Logs.GetLog(LogType.Browser).Select(e => $"{e.Timestamp:HH:mm:ss.fff} {e.Level} {e.Message}"));

    /// <summary>Marks the document now loaded: <see cref="SameDocument"/> stays true until the page reloads or is left.</summary>
    public void MarkDocument() => driver.ExecuteScript("window.markedByTest = true");

    public bool SameDocument() => driver.ExecuteScript("return window.markedByTest === true") is true;

    /// <summary>A PNG of the window under the test output's screenshots/; with SCHED_UPDATE_SCREENSHOTS=1 also to docs/screenshots.</summary>
    public string Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.png");
        driver.GetScreenshot().SaveAsFile(path);
        if (Environment.GetEnvironmentVariable("SCHED_UPDATE_SCREENSHOTS") == "1")
        {
            Directory.CreateDirectory(Repo.PathOf("docs", "screenshots"));
            File.Copy(path, Repo.PathOf("docs", "screenshots", $"{name}.png"), overwrite: true);
        }

        return path;
    }
}
