namespace Sched.Scheduler.Metrics;

/// <summary>
/// Why an attempt ended, as the value of the <c>reason</c> label: a short, closed set, so the label stays cheap.
/// Read from the reason text that <see cref="Decisions.State.RestartDecision"/> and <see cref="Decisions.State.AttemptEnd"/> write.
/// </summary>
public static class AttemptEndKind
{
    public const string Exit = "exit";
    public const string Oom = "oom";
    public const string StartFailed = "start-failed";
    public const string Fenced = "fenced";
    public const string Lost = "lost";

    /// <summary>Every kind an attempt can end with; the counters start each at zero.</summary>
    public static readonly string[] All = [Exit, Oom, StartFailed, Fenced, Lost];

    /// <summary>The first prefix that matches wins; anything else is an exit code.</summary>
    public static string Of(string reason) =>
        reason.StartsWith("oom-killed", StringComparison.Ordinal) ? Oom
        : reason.StartsWith("start-failed", StringComparison.Ordinal) ? StartFailed
        : reason.StartsWith("fenced", StringComparison.Ordinal) ? Fenced
        : Exit;
}
