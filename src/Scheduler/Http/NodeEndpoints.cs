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
        });
        app.MapGet("/healthz", () => Results.Text("ok\n"));
    }
}
