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
    public void SignIn(string token)
    {
        var field = WaitFor(By.Id("token"));
        field.Clear();
        field.SendKeys(token);
        driver.FindElement(By.CssSelector("#login button[type=submit]")).Click();
    }

    /// <summary>Signed in with the agent's token, at <paramref name="route"/> (e.g. "#/jobs").</summary>
    public async Task Open(string route)
    {
        OpenSignedOut();
        SignIn(agent.Token);
        await Until(() => driver.FindElement(By.Id("nav")).Displayed, "the navigation after signing in");
        driver.Navigate().GoToUrl(new Uri(Root, route));
    }

    /// <summary>Follows a link or presses a button by its visible text.</summary>
    public void Click(By by) => WaitFor(by).Click();

    public IWebElement WaitFor(By by)
    {
        IWebElement? found = null;
        Until(() => (found = driver.FindElements(by).FirstOrDefault(e => e.Displayed)) is not null, $"an element {by}").GetAwaiter().GetResult();
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
            timeout, what, () => Task.FromResult(Visible()));

    /// <summary>The text the page shows now.</summary>
    public string Visible() => driver.FindElement(By.TagName("body")).Text;

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
