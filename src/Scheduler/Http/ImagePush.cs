using Microsoft.AspNetCore.Http.Features;
using Sched.NodeActor.Runtime;

namespace Sched.Scheduler.Http;

/// <summary>
/// POST /v1/images: an image archive (docker-archive, as `podman save` writes it) streamed into this node's podman,
/// read as it arrives so a large image never sits in the agent's memory. The node reports it with its next probe;
/// other nodes then fetch it from this one when a shard needs it.
/// </summary>
public static class ImagePush
{
    /// <summary>The largest archive a push may send: larger than any image a 4 GB board would run.</summary>
    public const long MaxArchiveBytes = 16L << 30;

    public const string ContentType = "application/x-tar";

    public static async Task<IResult> Post(HttpContext context, SchedulerGateway scheduler, CancellationToken ct)
    {
        if (context.Request.ContentType?.Split(';')[0].Trim() != ContentType)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"Send the image as {ContentType}, the archive `podman save IMAGE` writes; `sched image push IMAGE` does that.");
        }

        if (scheduler.LocalImages is not { } images)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "This node runs no containers",
                detail: "Push to the API of a node that runs podman (a worker): --addr http://node1.local:8080");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxArchiveBytes;
        }

        try
        {
            await images.LoadAsync(context.Request.Body, ct);
        }
        catch (Exception e) when (e is ContainerRuntimeException or Docker.DotNet.DockerApiException)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The image did not load",
                detail: $"podman on {scheduler.NodeName} refused the archive: {e.Message}. Nothing was loaded.");
        }

        return Results.Ok(new ImagePushed(scheduler.NodeName, "loaded; the node reports it within 5 s and the others fetch it from there when a shard needs it"));
    }
}

/// <summary>The answer to a push: which node holds the image now.</summary>
public sealed record ImagePushed(string Node, string Outcome);
