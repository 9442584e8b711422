using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>The body of PATCH /v1/jobs/{id}: what may change while a job runs.</summary>
[Description("What may change while a job runs.")]
public sealed record JobPatch(
    [property: Description("at most this many of the job's shards run at once, 1..10000; null lifts the limit")] int? Parallel);

/// <summary>PATCH /v1/jobs/{id} {"parallel": N}: reads the body and names the field in every refusal.</summary>
public static class JobScaling
{
    private const string Example = "{\"parallel\": 4} or {\"parallel\": null} for no limit";

    public static async Task<IResult> Patch(string id, HttpRequest request, SchedulerGateway scheduler, CancellationToken ct)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return Invalid("body", $"is not JSON ({e.Message}); send {Example}");
        }

        if (body is not JsonObject patch || !patch.TryGetPropertyValue("parallel", out var value) || patch.Count != 1)
        {
            return Invalid("body", $"must hold parallel and nothing else: {Example}");
        }

        int? parallel = null;
        if (value is not null)
        {
            if (value is not JsonValue number || !number.TryGetValue<int>(out var n) || n is < 1 or > ManifestParser.MaxShards)
            {
                return Invalid("parallel", $"must be a whole number from 1 to {ManifestParser.MaxShards}, or null for no limit; got {value.ToJsonString()}");
            }

            parallel = n;
        }

        var reply = await scheduler.Ask<JobReply>(new ScaleJob(id, parallel), ct);
        return reply.Job is { } job
            ? Results.Ok(job.ToDto())
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job", detail: $"There is no job '{id}'; `sched jobs` lists the jobs.");
    }

    private static IResult Invalid(string field, string fix) => FieldProblem.Of(field, fix, "The change is invalid");
}
