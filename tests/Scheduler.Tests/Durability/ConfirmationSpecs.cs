using Sched.Scheduler.Decisions.Durability;

namespace Sched.Scheduler.Tests.Durability;

/// <summary>A submitter hears of its job once the job is both on this node's disk and on a majority, not before.</summary>
public class ConfirmationSpecs
{
    [Fact]
    public void A_submitter_is_answered_only_when_the_job_is_saved_and_replicated()
    {
        var awaiting = Confirmations<string>.None.Await("job-1", "client-a");

        var (afterSave, answeredOnSave) = awaiting.Saved(["job-1"]);
        var (afterBoth, answeredOnReplication) = afterSave.Replicated(["job-1"]);

        Assert.Empty(answeredOnSave);
        Assert.Equal([new Answer<string>("job-1", "client-a")], answeredOnReplication);
        Assert.False(afterBoth.IsAwaited("job-1"));
    }

    [Fact]
    public void A_retried_submission_waits_with_the_first_and_both_are_answered_together()
    {
        var (joined, answerNow) = Confirmations<string>.None.Await("job-1", "client-a").Join("job-1", "client-b");

        var (_, answered) = joined.Replicated(["job-1"]).Next.Saved(["job-1"]);

        Assert.False(answerNow);
        Assert.Equal(["client-a", "client-b"], answered.Select(a => a.Client));
    }

    [Fact]
    public void A_save_the_disk_refused_answers_the_submitter_now_and_a_retry_waits_for_the_next_save()
    {
        var awaiting = Confirmations<string>.None.Await("job-1", "client-a");
        var (asked, _) = awaiting.SaveLocally(["job-1"]);

        var (refused, toldNow) = asked.Replicated(["job-1"]).Next.SaveFailed(["job-1"]);
        var (retried, answerNow) = refused.Join("job-1", "client-b");
        var (_, askedAgain) = retried.SaveLocally(["job-1"]);
        var (saved, answered) = retried.Saved(["job-1"]);

        Assert.Equal([new Answer<string>("job-1", "client-a")], toldNow);
        Assert.False(answerNow);
        Assert.Equal(["job-1"], askedAgain);
        Assert.Equal([new Answer<string>("job-1", "client-b")], answered);
        Assert.False(saved.IsAwaited("job-1"));
    }

    [Fact]
    public void A_retried_submission_of_a_job_already_safe_is_answered_at_once()
    {
        Assert.True(Confirmations<string>.None.Join("job-1", "client-b").AnswerNow);
    }

    [Fact]
    public void A_job_is_asked_to_be_saved_locally_once_and_only_if_someone_waits_for_it()
    {
        var awaiting = Confirmations<string>.None.Await("job-1", "client-a");

        var (asked, first) = awaiting.SaveLocally(["job-1", "job-2"]);
        var (_, second) = asked.SaveLocally(["job-1"]);

        Assert.Equal(["job-1"], first);
        Assert.Empty(second);
    }

    [Fact]
    public void When_a_majority_does_not_confirm_the_submitters_hear_it_and_wait_no_more()
    {
        var awaiting = Confirmations<string>.None.Await("job-1", "client-a");

        var (after, notConfirmed) = awaiting.ReplicationFailed(["job-1", "job-2"]);

        Assert.Equal([new Answer<string>("job-1", "client-a")], notConfirmed);
        Assert.False(after.IsAwaited("job-1"));
    }
}
