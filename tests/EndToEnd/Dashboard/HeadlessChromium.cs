using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Sched.EndToEnd.Dashboard;

/// <summary>
/// Debian's chromium, headless, driven through Debian's chromedriver of the same version (deploy/lib/install-test-tools.sh
/// installs both). Both paths are given, so Selenium looks nothing up and downloads nothing. Also compiled into
/// tests/Benchmarks, which keeps the dashboard open in it.
/// </summary>
public static class HeadlessChromium
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    /// <summary>A browser with a window of <paramref name="width"/> x <paramref name="height"/> CSS pixels.</summary>
    public static ChromeDriver Start(int width = 1280, int height = 900)
    {
        foreach (var path in new[] { Browser, Driver })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: run deploy/lib/install-test-tools.sh (Debian's chromium and chromium-driver)", path);
            }
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", $"--window-size={width},{height}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
