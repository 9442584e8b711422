using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Http;

public static class JobEndpoints
{
    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/jobs", Submit)
            .WithName("SubmitJob").WithSummary("Submit a job manifest; answers the job with its shards. With ?dryRun=true answers 200 with "
                + "where each shard would go now, or why it would wait, and stores and starts nothing")
            .Accepts<JobManifest>(ManifestFormats.JsonTypes[0], [.. ManifestFormats.JsonTypes[1..], .. ManifestFormats.YamlTypes])
            .Produces<JobDto>(StatusCodes.Status201Created)
            .Produces<JobDto>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/v1/jobs", List)
            .WithName("ListJobs")
            .WithSummary("Every job with per-shard state, node, attempt, exit code and reason, in submission order; "
                + "with ?limit=N one page, and a Link header (rel=\"next\") to the next while there is one")
            .Produces<List<JobDto>>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/v1/jobs/{id}", async (string id, SchedulerGateway scheduler, CancellationToken ct) =>
            Found(id, await scheduler.Ask<JobReply>(new GetJob(id), ct)))
            .WithName("GetJob").WithSummary("One job with its shards")
            .Produces<JobDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapPatch("/v1/jobs/{id}", JobScaling.Patch)
            .WithName("ScaleJob").WithSummary("Change how many of the job's shards may run at once, while it runs: {\"parallel\": N}, or null for no limit")
            .Accepts<JobPatch>("application/json")
            .Produces<JobDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapPost("/v1/jobs/{id}/rerun", JobRerun.Post)
            .WithName("RerunJob").WithSummary("Run shards of a finished job again as new attempts of the same job: {\"shards\": [2, 5]}, or an empty "
                + "body for every shard that did not succeed; each shard's earlier attempts stay in its history")
            .Accepts<RerunRequest>("application/json")
            .Produces<JobDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapDelete("/v1/jobs/{id}", async (string id, SchedulerGateway scheduler, CancellationToken ct) =>
            Found(id, await scheduler.Ask<JobReply>(new StopJob(id), ct)))
            .WithName("StopJob").WithSummary("Stop the job and remove its containers on every node")
            .Produces<JobDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    // limit is read as text: a binding failure ("limit=abc") would answer 400 with no word on which field or why.
    private static async Task<IResult> List(HttpContext context, SchedulerGateway scheduler, CancellationToken ct, string? limit = null, string? after = null)
    {
        if (!JobPages.TryReadLimit(limit, out var pageSize))
        {
            return JobPages.Invalid("limit", $"limit must be a whole number from 1 to {JobPages.MaxLimit}; leave it out for every job.");
        }

        if (after is not null && JobCursor.Parse(after) is null)
        {
            return JobPages.Invalid("after", "after must be the cursor of a Link header of an earlier page; leave it out to start at the first job.");
        }

        var page = await JobPages.Read(scheduler, pageSize, after, ct);
        if (page.Next is { } next)
        {
            context.Response.Headers.Link = JobPages.NextLink(pageSize, next);
        }

        return Results.Ok(page.Jobs.Select(j => j.ToDto()).ToList());
    }

    private static async Task<IResult> Submit(HttpRequest request, SchedulerGateway scheduler, CancellationToken ct)
    {
        if (ManifestFormats.Detect(request.ContentType) is not { } format)
        {
            return ManifestFormats.Unsupported(request.ContentType);
        }

        using var reader = new StreamReader(request.Body);
        var parsed = ManifestParser.Parse(await reader.ReadToEndAsync(ct), format);
        if (parsed.IsValid && HostPaths.Check(parsed.Spec!, scheduler.AllowedHostPaths) is { IsEmpty: false } outside)
        {
            parsed = new ManifestResult(null, outside);
        }

        if (parsed.IsValid && await UnknownDependencies(parsed.Spec!, scheduler, ct) is { IsEmpty: false } unknown)
        {
            parsed = new ManifestResult(null, unknown);
        }

        if (!parsed.IsValid)
        {
            var errors = parsed.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
            return Results.ValidationProblem(
                errors,
                title: "The job manifest is invalid",
                detail: $"Fix {string.Join(", ", errors.Keys)} and submit again; nothing was stored.");
        }

        switch (request.Query["dryRun"].FirstOrDefault())
        {
            case null or "false":
                break;
            case "true":
                var plan = await scheduler.Ask<JobReply>(new PlanJob(parsed.Spec!), ct);
                return Results.Ok(plan.Job!.ToDto());
            case var other:
                return JobPages.Invalid("dryRun", $"'{other}' is not true or false; ?dryRun=true answers where the shards would go and stores nothing");
        }

        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        var reply = await scheduler.Ask<JobReply>(new SubmitJob(parsed.Spec!, string.IsNullOrWhiteSpace(key) ? null : key), ct);
        if (reply.NotConfirmed is { } notConfirmed)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Job not yet durable",
                detail: $"Job {reply.Job!.Id} was {notConfirmed}.");
        }

        return Results.Created($"/v1/jobs/{reply.Job!.Id}", reply.Job.ToDto());
    }

    /// <summary>A job may wait only for jobs that exist (so no cycle can form); each one that does not is an error of its field.</summary>
    private static async Task<ImmutableArray<FieldError>> UnknownDependencies(JobSpec spec, SchedulerGateway scheduler, CancellationToken ct)
    {
        if (spec.After is not { } after)
        {
            return [];
        }

        var errors = ImmutableArray.CreateBuilder<FieldError>();
        foreach (var (field, ids) in new[] { ("after", after.Succeeded), ("afterAny", after.Ended) })
        {
            foreach (var id in ids)
            {
                var named = (await scheduler.Ask<JobReply>(new GetJob(id), ct)).Job;
                if (named is null)
                {
                    errors.Add(new FieldError(field, $"names job {id}, which does not exist; `sched jobs` lists the jobs, and a job can wait only for one submitted before it"));
                }
                else if (named.Spec.IsPeriodic)
                {
                    errors.Add(new FieldError(field, $"names job {id}, which is periodic and never ends by itself; name one of its runs (`sched status {id}` lists them)"));
                }
            }
        }

        return errors.ToImmutable();
    }

    private static IResult Found(string id, JobReply reply) =>
        reply.Job is { } job
            ? Results.Ok(job.ToDto())
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job",
                detail: $"There is no job '{id}'; `sched jobs` lists the jobs.");
}
