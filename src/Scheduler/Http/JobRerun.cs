using System.Collections.Immutable;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>The body of POST /v1/jobs/{id}/rerun; an empty body reruns every shard that did not succeed.</summary>
[Description("Which shards of a finished job run again; leave the body empty for every shard that did not succeed.")]
public sealed record RerunRequest(
    [property: Description("the shard numbers to run again (1-based), any final state; null or absent: every shard that did not succeed")] IReadOnlyList<int>? Shards);

/// <summary>POST /v1/jobs/{id}/rerun: reads the optional body and answers every refusal with the field and the fix.</summary>
public static class JobRerun
{
    private const string Example = "{\"shards\": [2, 5]}, or an empty body for every shard that did not succeed";

    public static async Task<IResult> Post(string id, HttpRequest request, SchedulerGateway scheduler, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        ImmutableArray<int>? shards = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            JsonNode? body;
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                return Invalid("body", $"is not JSON ({e.Message}); send {Example}");
            }

            if (body is not JsonObject rerun || rerun.Any(p => p.Key != "shards"))
            {
                return Invalid("body", $"may hold shards and nothing else: {Example}");
            }

            if (rerun["shards"] is { } list)
            {
                if (list is not JsonArray array || array.Count == 0 || array.Count > ManifestParser.MaxShards
                    || array.Any(n => n is not JsonValue v || !v.TryGetValue<int>(out _)))
                {
                    return Invalid("shards", $"must be a list of shard numbers such as [2, 5]; got {list.ToJsonString()}");
                }

                shards = [.. array.Select(n => n!.GetValue<int>())];
            }
        }

        var reply = await scheduler.Ask<RerunReply>(new RerunJob(id, shards), ct);
        return reply switch
        {
            { Refusal: RerunRefusal.NoSuchShard, Reason: var reason } => Invalid("shards", $"{reason}; `sched status {id}` lists them"),
            { Refusal: not null, Reason: var reason } =>
                Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The job cannot run again now", detail: reason),
            { Job: { } job } => Results.Ok(job.ToDto()),
            _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job", detail: $"There is no job '{id}'; `sched jobs` lists the jobs."),
        };
    }

    private static IResult Invalid(string field, string fix) => FieldProblem.Of(field, fix, "The rerun is invalid");
}
