using Akka.Actor;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Metrics;

/// <summary>Asks the scheduler for its job and node lists; <paramref name="ct"/> ends the wait.</summary>
public delegate Task<(JobListReply Jobs, NodeListReply Nodes)> ClusterStateQuery(CancellationToken ct);

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format, open without a token: the process-wide metrics
/// (<see cref="ProcessMetrics"/>: process, runtime, <see cref="SchedulerMetrics"/>) and this server's
/// <see cref="ClusterStateMetrics"/>, which asks the scheduler for its jobs and nodes on each scrape.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>A scrape waits this long for the scheduler's state before it reports it unreachable.</summary>
    public static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(2);

    private const string TextFormat = "text/plain; version=0.0.4; charset=utf-8";

    public static void MapMetricsEndpoint(this IEndpointRouteBuilder app, ClusterStateQuery scheduler)
    {
        // The process-wide registry holds the scheduler's counters: reading it through SchedulerMetrics creates
        // them, so they are exported (at zero) also where the scheduler singleton does not run.
        var processWide = SchedulerMetrics.Process.Registry;
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var state = new ClusterStateMetrics(registry, ClusterStateMetrics.DefaultFinishedJobRetention);
        registry.AddBeforeCollectCallback(ct => Refresh(state, scheduler, ct));
        app.MapGet("/metrics", async (HttpContext context, CancellationToken ct) =>
        {
            using var body = new MemoryStream();
            await processWide.CollectAndExportAsTextAsync(body, ct);
            await registry.CollectAndExportAsTextAsync(body, ct);
            context.Response.ContentType = TextFormat;
            context.Response.ContentLength = body.Length;
            body.Position = 0;
            await body.CopyToAsync(context.Response.Body, ct);
        })
            .WithName("Metrics").WithSummary("Prometheus text format; needs no token, so Prometheus scrapes it as it is")
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
