using Sched.Contracts.Messages;
using Sched.Contracts.Serialization;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Tests.State;

public sealed class JobListPageSpecs
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    // Submitted a minute apart, j-03 first; j-01 and j-02 in the same instant.
    private static readonly JobView[] Jobs = [Job("j-04", 3), Job("j-02", 1), Job("j-03", 0), Job("j-01", 1), Job("j-05", 4)];

    [Fact]
    public void Without_limit_or_budget_every_job_comes_in_submission_order_then_id_and_no_next()
    {
        var page = JobListPage.Of(Jobs, GetJobs.Instance, null, _ => throw new InvalidOperationException("no budget, no sizes"));

        Assert.Equal(["j-03", "j-01", "j-02", "j-04", "j-05"], page.Jobs.Select(j => j.Id));
        Assert.Null(page.Next);
    }

    [Fact]
    public void Pages_of_a_limit_follow_each_other_through_their_cursors_to_the_last_job()
    {
        var seen = new List<string>();
        var pages = 0;
        string? next = null;
        do
        {
            var page = JobListPage.Of(Jobs, new GetJobs(2, next), null, _ => 0);
            seen.AddRange(page.Jobs.Select(j => j.Id));
            next = page.Next;
            pages++;
        }
        while (next is not null);

        Assert.Equal(["j-03", "j-01", "j-02", "j-04", "j-05"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void A_job_removed_between_two_pages_does_not_lose_the_reader_its_place()
    {
        var first = JobListPage.Of(Jobs, new GetJobs(2), null, _ => 0);
        var afterRetention = Jobs.Where(j => j.Id != "j-01").ToArray();

        var second = JobListPage.Of(afterRetention, new GetJobs(2, first.Next), null, _ => 0);

        Assert.Equal(["j-03", "j-01"], first.Jobs.Select(j => j.Id));
        Assert.Equal(["j-02", "j-04"], second.Jobs.Select(j => j.Id));
    }

    [Fact]
    public void A_budget_cuts_the_page_before_the_job_that_would_pass_it_but_never_sends_an_empty_page()
    {
        var cut = JobListPage.Of(Jobs, GetJobs.Instance, 250, _ => 100);
        var oversized = JobListPage.Of(Jobs, GetJobs.Instance, 250, _ => 1_000);

        Assert.Equal(["j-03", "j-01"], cut.Jobs.Select(j => j.Id));
        Assert.NotNull(cut.Next);
        Assert.Equal(["j-03"], oversized.Jobs.Select(j => j.Id));
        Assert.NotNull(oversized.Next);
    }

    [Fact]
    public void A_page_for_another_node_weighs_no_more_than_the_remote_budget_by_the_wire_size_of_its_jobs()
    {
        var many = Enumerable.Range(0, 300).Select(i => Job($"j-{i:000}", i, shards: 7)).ToArray();

        var page = JobListPage.Of(many, GetJobs.Instance, JobListPage.RemoteBudgetBytes, SchedSerialization.SizeOnWire);

        Assert.InRange(page.Jobs.Length, 2, 299);
        Assert.InRange(page.Jobs.Sum(SchedSerialization.SizeOnWire), 1, JobListPage.RemoteBudgetBytes);
        Assert.Equal(JobCursor.Of(page.Jobs[^1]).ToString(), page.Next);
    }

    [Theory]
    [InlineData("")]
    [InlineData("j-01")]
    [InlineData(".j-01")]
    [InlineData("123.")]
    [InlineData("-5.j-01")]
    [InlineData("99999999999999999999.j-01")]
    public void Text_that_is_not_a_cursor_is_not_read_as_one(string text) => Assert.Null(JobCursor.Parse(text));

    [Fact]
    public void A_cursor_reads_back_what_it_wrote_whatever_the_job_id_holds() =>
        Assert.Equal(new JobCursor(Start, "a.b-c"), JobCursor.Parse(new JobCursor(Start, "a.b-c").ToString()));

    private static JobView Job(string id, int minute, int shards = 1) =>
        new(id, TestJobs.Spec(shards), JobStatus.Running, null, Start.AddMinutes(minute), []);
}
