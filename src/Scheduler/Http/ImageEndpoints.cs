using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

public static class ImageEndpoints
{
    public static void MapImageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/images", async (SchedulerGateway scheduler, CancellationToken ct) =>
        {
            var reply = await scheduler.Ask<ImageListReply>(GetImages.Instance, ct);
            return Results.Ok(reply.Nodes
                .SelectMany(node => node.Images.Select(i => new ImageDto(node.Node, i.Id, [.. i.Names], i.Architecture, i.SizeBytes)))
                .ToList());
        })
            .WithName("ListImages").WithSummary("Which node holds which named image, as the agents last reported")
            .Produces<List<ImageDto>>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapPost("/v1/images", ImagePush.Post)
            .WithName("PushImage").WithSummary("Load an image archive (as `podman save` writes it, application/x-tar) into this node's podman, "
                + "streamed; the other nodes fetch it from this one when a shard needs it")
            .Produces<ImagePushed>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }
}

/// <summary>One image in one node's store.</summary>
public sealed record ImageDto(string Node, string Id, List<string> Names, string Architecture, long SizeBytes);
