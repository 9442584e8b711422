using Sched.Contracts.Messages;

namespace Sched.Scheduler.Metrics;

/// <summary>Why an attempt ended, as the value of the <c>reason</c> label: a short, closed set, so the label stays cheap.</summary>
public static class AttemptEndKind
{
    /// <summary>The label of an outcome; the names were chosen before the outcome was an enum, and dashboards use them.</summary>
    public static string Of(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Exited => "exit",
        AttemptOutcome.OomKilled => "oom",
        AttemptOutcome.StartFailed => "start-failed",
        AttemptOutcome.Fenced => "fenced",
        AttemptOutcome.Lost => "lost",
        AttemptOutcome.ImageUnavailable => "image-unavailable",
        AttemptOutcome.TimedOut => "timed-out",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "an attempt outcome without a metric label"),
    };
}
