using Prometheus;

namespace Sched.Scheduler.Metrics;

/// <summary>
/// How often this node's agent tried to stop its containers for a fence, by outcome. A failed attempt (the podman
/// socket did not answer) is retried until one succeeds, so a rising <c>failed</c> count is a fence still pending.
/// </summary>
public sealed class FenceMetrics
{
    private static readonly Lazy<FenceMetrics> ProcessWide = new(() => new FenceMetrics(ProcessMetrics.Registry));
    private readonly Counter.Child _stopped;
    private readonly Counter.Child _failed;

    public FenceMetrics(CollectorRegistry registry)
    {
        var attempts = Prometheus.Metrics.WithCustomRegistry(registry).CreateCounter("sched_fence_attempts_total",
            "Attempts of this node's agent to stop its containers for a fence, by outcome (stopped, failed: retried).", "outcome");
        _stopped = attempts.WithLabels("stopped");
        _failed = attempts.WithLabels("failed");
    }

    public static FenceMetrics Process => ProcessWide.Value;

    public void Attempted(bool succeeded) => (succeeded ? _stopped : _failed).Inc();
}
