namespace Sched.Scheduler.Tests.Http;

/// <summary>One <see cref="ApiHost"/> for the tests of a class.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    private ApiHost? _host;

    public ApiHost Host => _host ?? throw new InvalidOperationException("the API host has not started");

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
