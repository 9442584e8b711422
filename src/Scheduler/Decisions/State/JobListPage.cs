using System.Globalization;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Decisions.State;

/// <summary>
/// Where a page of the job list starts: after the job submitted at <see cref="SubmittedAt"/> with the id
/// <see cref="JobId"/>. It names a place in the order, not a job, so a job that retention removed meanwhile
/// does not lose the reader its place.
/// </summary>
public sealed record JobCursor(DateTimeOffset SubmittedAt, string JobId)
{
    public static JobCursor Of(JobView job) => new(job.SubmittedAt, job.Id);

    /// <summary>Parses the text form, <c>TICKS.JOB-ID</c>; null when it is not one.</summary>
    public static JobCursor? Parse(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < text.Length - 1
            && long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new JobCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(dot + 1)..])
                : null;
    }

    public bool IsBefore(JobView job) => Order(SubmittedAt, JobId, job.SubmittedAt, job.Id) < 0;

    public override string ToString() => $"{SubmittedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{JobId}";

    internal static int Order(DateTimeOffset aAt, string aId, DateTimeOffset bAt, string bId)
    {
        var byTime = aAt.CompareTo(bAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(aId, bId);
    }
}

/// <summary>The job list one page at a time, in submission order (then id).</summary>
public static class JobListPage
{
    /// <summary>What a page that crosses the cluster may weigh: half of Akka's 128,000-byte frame, room for the envelope.</summary>
    public const int RemoteBudgetBytes = 64 * 1024;

    /// <summary>
    /// The jobs after <paramref name="ask"/>'s cursor, at most its limit, and no more than <paramref name="budgetBytes"/>
    /// by <paramref name="size"/> (at least one job, which the manifest's bounds keep within a frame). Null budget: no cut.
    /// </summary>
    public static JobListReply Of(IEnumerable<JobView> jobs, GetJobs ask, int? budgetBytes, Func<JobView, int> size)
    {
        var after = ask.After is null ? null : JobCursor.Parse(ask.After);
        var ordered = jobs.Where(j => after is null || after.IsBefore(j))
            .Order(Comparer<JobView>.Create((a, b) => JobCursor.Order(a.SubmittedAt, a.Id, b.SubmittedAt, b.Id)));
        var page = new List<JobView>();
        var weight = 0;
        var more = false;
        foreach (var job in ordered)
        {
            var cost = budgetBytes is null ? 0 : size(job);
            if (page.Count >= (ask.Limit ?? int.MaxValue) || (page.Count > 0 && weight + cost > budgetBytes))
            {
                more = true;
                break;
            }

            weight += cost;
            page.Add(job);
        }

        return new JobListReply([.. page], more ? JobCursor.Of(page[^1]).ToString() : null);
    }
}
