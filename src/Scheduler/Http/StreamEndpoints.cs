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
        using var stream = new RelayedStream(scheduler.System, subscribeToEvents: true, ct);
        try
        {
            while (!stream.Token.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stream.Token);
                wait.CancelAfter(KeepAlive);
                object item;
                try
                {
                    item = await stream.Items.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stream.Token.IsCancellationRequested)
                {
                    await Write(http, ": keep-alive\n\n", stream.Token);
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
                    await Write(http, text, stream.Token);
                }
            }
        }
        catch (Exception e) when (IsDrop(e, stream))
        {
            await Drop(http, $": dropped: {ReaderTooSlowException.Reason}\n\n");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The watcher went away.
        }
    }

    private static async Task Logs(HttpContext http, SchedulerGateway scheduler, string id, int shard, bool? follow, CancellationToken ct)
    {
        using var stream = new RelayedStream(scheduler.System, subscribeToEvents: false, ct);
        try
        {
            scheduler.Tell(new StreamShardLogs(id, shard, follow ?? false), stream.Relay);
            http.Response.ContentType = "text/plain; charset=utf-8";
            await foreach (var item in stream.Items.ReadAllAsync(stream.Token))
            {
                switch (item)
                {
                    case LogLines lines:
                        await Write(http, string.Concat(lines.Lines.Select(l => l + "\n")), stream.Token);
                        break;
                    case LogArchived archived:
                        await Write(http, $"sched: archived log of {archived.ContainerName} (its last {LogArchiveNotice.PerShard}), kept when the container was removed at {archived.ArchivedAt:yyyy-MM-dd HH:mm:ss}Z\n", stream.Token);
                        break;
                    case LogsEnded { Error: { } error }:
                        await Write(http, $"sched: {error}\n", stream.Token);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception e) when (IsDrop(e, stream))
        {
            await Drop(http, $"sched: {ReaderTooSlowException.Reason}\n");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The reader went away.
        }
    }

    /// <summary>The relay dropped the reader: seen in the channel, or as the cancelled wait for a write the reader does not take.</summary>
    private static bool IsDrop(Exception e, RelayedStream stream) =>
        e is ReaderTooSlowException || (e is OperationCanceledException && stream.ReaderDropped);

    /// <summary>
    /// Says why the stream ends, for a reader that takes it within a moment, then closes the connection. The close
    /// is unconditional: a written notice may sit in Kestrel's buffer behind what the reader never took, and an ended
    /// response would hold the connection until that drains or the data-rate timeout ends it minutes later. After a
    /// write was cancelled half-way Kestrel need not honour a token either, so the moment is a timer of its own.
    /// </summary>
    private static async Task Drop(HttpContext http, string notice)
    {
        var write = Write(http, notice, http.RequestAborted);
        await Task.WhenAny(write, Task.Delay(DropNoticeTimeout));
        _ = write.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        http.Abort();
    }

    private static async Task Write(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.WriteAsync(text, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
