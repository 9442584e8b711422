using System.Collections.Immutable;
using System.Globalization;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>GET /v1/jobs?limit=N&amp;after=CURSOR: one page of the job list, and the link to the next.</summary>
public static class JobPages
{
    public const int MaxLimit = 1000;

    /// <summary>
    /// Up to <paramref name="limit"/> jobs after <paramref name="after"/>. The scheduler may answer a remote ask with
    /// fewer (one cluster frame); the page is filled up from the pages after it.
    /// </summary>
    public static async Task<JobListReply> Read(SchedulerGateway scheduler, int? limit, string? after, CancellationToken ct)
    {
        var wanted = limit ?? int.MaxValue;
        var jobs = ImmutableArray.CreateBuilder<JobView>();
        string? next = after;
        do
        {
            var page = await scheduler.Ask<JobListReply>(new GetJobs(wanted - jobs.Count, next), ct);
            jobs.AddRange(page.Jobs);
            next = page.Next;
        }
        while (next is not null && jobs.Count < wanted);

        return new JobListReply(jobs.ToImmutable(), next);
    }

    /// <summary>False for text that is not a whole number from 1 to <see cref="MaxLimit"/>; null text is no limit.</summary>
    public static bool TryReadLimit(string? text, out int? limit)
    {
        limit = null;
        if (text is null)
        {
            return true;
        }

        var valid = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit;
        limit = valid ? n : null;
        return valid;
    }

    public static string NextLink(int? limit, string next)
    {
        var query = limit is { } n ? $"limit={n.ToString(CultureInfo.InvariantCulture)}&" : "";
        return $"</v1/jobs?{query}after={Uri.EscapeDataString(next)}>; rel=\"next\"";
    }

    public static IResult Invalid(string parameter, string fix) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [parameter] = [fix] },
            title: $"The query parameter '{parameter}' is invalid",
            detail: fix);
}
