namespace Sched.Scheduler.Metrics;

/// <summary>
/// One rendering of <c>/metrics</c> shared by every scrape within <see cref="MaxAge"/>: scrapes that arrive while it is
/// being rendered wait for that one, so however many Prometheus servers, Grafana panels or curl loops scrape, the
/// scheduler is asked for its state at most once per <see cref="MaxAge"/>. A rendering that failed is not kept.
/// </summary>
public sealed class ScrapeCache(Func<Task<byte[]>> render, TimeSpan maxAge, TimeProvider clock)
{
    /// <summary>Shorter than any sensible scrape interval (Prometheus defaults to 15 s, the NixOS example to 10 s).</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private Task<byte[]>? _rendering;
    private DateTimeOffset _startedAt;

    public TimeSpan MaxAge => maxAge;

    public Task<byte[]> Get()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var reusable = _rendering is { IsFaulted: false, IsCanceled: false } && (!_rendering.IsCompleted || now - _startedAt < maxAge);
            if (!reusable)
            {
                _startedAt = now;
                _rendering = render();
            }

            return _rendering!;
        }
    }
}
