using Sched.Scheduler.Metrics;

namespace Sched.Scheduler.Tests.Metrics;

public sealed class ScrapeCacheSpecs
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private int _renders;

    [Fact]
    public async Task A_rendering_serves_every_scrape_until_it_is_older_than_its_max_age()
    {
        var cache = new ScrapeCache(Render, TimeSpan.FromSeconds(5), _clock);

        var first = await cache.Get();
        _clock.Now = Start.AddSeconds(4.9);
        var within = await cache.Get();
        _clock.Now = Start.AddSeconds(5);
        var after = await cache.Get();

        Assert.Equal([1], first);
        Assert.Equal([1], within);
        Assert.Equal([2], after);
    }

    [Fact]
    public async Task Scrapes_while_a_rendering_runs_wait_for_that_one_however_long_it_takes()
    {
        var slow = new TaskCompletionSource<byte[]>();
        var cache = new ScrapeCache(() => { _renders++; return slow.Task; }, TimeSpan.FromSeconds(5), _clock);

        var waiting = cache.Get();
        _clock.Now = Start.AddMinutes(1);
        var later = cache.Get();
        slow.SetResult([7]);

        Assert.Same(waiting, later);
        Assert.Equal([7], await later);
        Assert.Equal(1, _renders);
    }

    [Fact]
    public async Task A_rendering_that_failed_is_not_served_again()
    {
        var fail = true;
        var cache = new ScrapeCache(
            () => fail ? Task.FromException<byte[]>(new IOException("registry broken")) : Render(),
            TimeSpan.FromHours(1),
            _clock);

        await Assert.ThrowsAsync<IOException>(cache.Get);
        fail = false;

        Assert.Equal([1], await cache.Get());
    }

    private Task<byte[]> Render() => Task.FromResult(new[] { (byte)++_renders });
}
