using OpenQA.Selenium.Chrome;

namespace Sched.EndToEnd.Dashboard;

/// <summary>One real dev agent and one headless browser, shared by every dashboard test: starting each costs seconds.</summary>
public sealed class DashboardSession : IAsyncLifetime
{
    private ChromeDriver? _driver;

    public DevAgent Agent { get; } = new();

    public DashboardPage Page => new(_driver ?? throw new InvalidOperationException("the browser has not started"), Agent);

    public async Task InitializeAsync()
    {
        await Agent.InitializeAsync();
        _driver = HeadlessChromium.Start();
    }

    public async Task DisposeAsync()
    {
        _driver?.Quit();
        _driver?.Dispose();
        await Agent.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardSession>
{
    public const string Name = "dashboard";
}
