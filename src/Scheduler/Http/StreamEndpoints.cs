using System.Text.Json;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>How much of a removed container's log its node keeps, in the words the logs endpoint uses.</summary>
internal static class LogArchiveNotice
{
    public const string PerShard = "1 MiB at most";
}

/// <summary>The streaming endpoints: job events as server-sent events, and a shard's container log.</summary>
public static class StreamEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DropNoticeTimeout = TimeSpan.FromSeconds(2);

    public static void MapStreamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/events", Events)
            .WithName("WatchEvents").WithSummary("Server-sent events: submissions, placements and state changes (of one job with ?job=ID)")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        app.MapGet("/v1/jobs/{id}/shards/{shard:int}/logs", Logs)
            .WithName("ShardLogs").WithSummary("A shard's container log as text, from whichever node runs it; ?follow=true keeps streaming")
            .Produces<string>(contentType: "text/plain");
    }

    private static async Task Events(HttpContext http, SchedulerGateway scheduler, string? job, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var channel = ChannelRelay.NewChannel();
        var relay = scheduler.System.ActorOf(ChannelRelay.Props(channel.Writer, subscribeToEvents: true));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(KeepAlive);
                object item;
                try
                {
                    item = await channel.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await Write(http, ": keep-alive\n\n", ct);
                    continue;
                }

                var text = item switch
                {
                    ChannelRelay.Subscribed => ": subscribed\n\n",
                    JobEvent e when job is null || e.JobId == job => $"event: {e.Kind}\ndata: {JsonSerializer.Serialize(e, ApiServer.Json)}\n\n",
                    _ => null,
                };
                if (text is not null)
                {
                    await Write(http, text, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The watcher went away.
        }
        catch (ReaderTooSlowException e)
        {
            await Drop(http, $": dropped: {e.Message}\n\n");
        }
        finally
        {
            scheduler.System.Stop(relay);
        }
    }

    private static async Task Logs(HttpContext http, SchedulerGateway scheduler, string id, int shard, bool? follow, CancellationToken ct)
    {
        var channel = ChannelRelay.NewChannel();
        var relay = scheduler.System.ActorOf(ChannelRelay.Props(channel.Writer, subscribeToEvents: false));
        try
        {
            scheduler.Tell(new StreamShardLogs(id, shard, follow ?? false), relay);
            http.Response.ContentType = "text/plain; charset=utf-8";
            await foreach (var item in channel.Reader.ReadAllAsync(ct))
            {
                switch (item)
                {
                    case LogLines lines:
                        await Write(http, string.Concat(lines.Lines.Select(l => l + "\n")), ct);
                        break;
                    case LogArchived archived:
                        await Write(http, $"sched: archived log of {archived.ContainerName} (its last {LogArchiveNotice.PerShard}), kept when the container was removed at {archived.ArchivedAt:yyyy-MM-dd HH:mm:ss}Z\n", ct);
                        break;
                    case LogsEnded { Error: { } error }:
                        await Write(http, $"sched: {error}\n", ct);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The reader went away.
        }
        catch (ReaderTooSlowException e)
        {
            await Drop(http, $"sched: {e.Message}\n");
        }
        finally
        {
            scheduler.System.Stop(relay);
        }
    }

    /// <summary>Says why the stream ends if the reader takes it within a moment; otherwise closes the connection.</summary>
    private static async Task Drop(HttpContext http, string notice)
    {
        using var moment = new CancellationTokenSource(DropNoticeTimeout);
        try
        {
            await Write(http, notice, moment.Token);
        }
        catch (OperationCanceledException)
        {
            http.Abort();
        }
    }

    private static async Task Write(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.WriteAsync(text, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
