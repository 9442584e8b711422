using Akka.Actor;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Metrics;

/// <summary>Asks the scheduler for its job and node lists; <paramref name="ct"/> ends the wait.</summary>
public delegate Task<(JobListReply Jobs, NodeListReply Nodes)> ClusterStateQuery(CancellationToken ct);

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format, open without a token: the process-wide metrics
/// (<see cref="ProcessMetrics"/>: process, runtime, <see cref="SchedulerMetrics"/>) and this server's
/// <see cref="ClusterStateMetrics"/>, which asks the scheduler for its jobs and nodes, through a <see cref="ScrapeCache"/>:
/// at most once every 5 s, however many scrape.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>A scrape waits this long for the scheduler's state before it reports it unreachable.</summary>
    public static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(2);

    private const string TextFormat = "text/plain; version=0.0.4; charset=utf-8";

    /// <param name="maxAge">How long one rendering serves every scrape (<see cref="ScrapeCache.DefaultMaxAge"/> by default).</param>
    public static void MapMetricsEndpoint(this IEndpointRouteBuilder app, ClusterStateQuery scheduler, TimeSpan? maxAge = null)
    {
        // The process-wide registry holds the scheduler's counters: reading it through SchedulerMetrics creates
        // them, so they are exported (at zero) also where the scheduler singleton does not run.
        var processWide = SchedulerMetrics.Process.Registry;
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var state = new ClusterStateMetrics(registry, ClusterStateMetrics.DefaultFinishedJobRetention);
        registry.AddBeforeCollectCallback(ct => Refresh(state, scheduler, ct));
        var cache = new ScrapeCache(
            async () =>
            {
                // Not the request's token: the rendering is shared, and a scraper that hangs up must not cancel it for the others.
                using var body = new MemoryStream();
                await processWide.CollectAndExportAsTextAsync(body, CancellationToken.None);
                await registry.CollectAndExportAsTextAsync(body, CancellationToken.None);
                return body.ToArray();
            },
            maxAge ?? ScrapeCache.DefaultMaxAge,
            TimeProvider.System);
        app.MapGet("/metrics", async (HttpContext context, CancellationToken ct) =>
        {
            var body = await cache.Get().WaitAsync(ct);
            context.Response.ContentType = TextFormat;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, ct);
        })
            .WithName("Metrics").WithSummary("Prometheus text format, rendered at most once every 5 s; needs no token, so Prometheus scrapes it as it is")
            .Produces<string>(contentType: TextFormat)
            .AllowAnonymous();
    }

    private static async Task Refresh(ClusterStateMetrics state, ClusterStateQuery scheduler, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StateTimeout);
        try
        {
            var (jobs, nodes) = await scheduler(timeout.Token);
            state.Update(jobs.Jobs, nodes.Nodes, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is OperationCanceledException or AskTimeoutException && !ct.IsCancellationRequested)
        {
            state.SchedulerUnreachable();
        }
    }
}
