using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

public static class NodeEndpoints
{
    public static void MapNodeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/nodes", async (SchedulerGateway scheduler, CancellationToken ct) =>
        {
            var reply = await scheduler.Ask<NodeListReply>(GetNodes.Instance, ct);
            return Results.Ok(reply.Nodes.Select(n => n.ToDto()).ToList());
        })
            .WithName("ListNodes").WithSummary("Every node with state, capacity, allocation, labels and shard count")
            .Produces<List<NodeDto>>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/healthz", () => Results.Text("ok\n"))
            .WithName("Health").WithSummary("ok while this node serves HTTP; needs no token")
            .Produces<string>(contentType: "text/plain")
            .AllowAnonymous();
    }
}
