using Prometheus;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Metrics;

/// <summary>
/// What the scheduler's events count and time: placements, restarts and final failures by reason, OOM kills,
/// nodes downed, placement latency and node recovery time. The scheduler feeds it through
/// <see cref="Actors.PlacementLog"/>; <see cref="Process"/> is the one /metrics serves, tests make their own.
/// </summary>
public sealed class SchedulerMetrics
{
    private static readonly Lazy<SchedulerMetrics> ProcessWide = new(() => new SchedulerMetrics(ProcessMetrics.Registry, TimeProvider.System));

    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly PlacementWaits _waits = new();
    private readonly NodeRecoveries _recoveries = new();
    private readonly Counter _placements;
    private readonly Counter _restarts;
    private readonly Counter _failures;
    private readonly Counter _oomKills;
    private readonly Counter _nodeFailures;
    private readonly Counter _periodicRuns;
    private readonly Histogram _placementLatency;
    private readonly Histogram _recovery;

    public SchedulerMetrics(CollectorRegistry registry, TimeProvider clock)
    {
        Registry = registry;
        _clock = clock;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _placements = factory.CreateCounter("sched_placements_total", "Shard attempts placed on a node.");
        _restarts = factory.CreateCounter("sched_restarts_total",
            "Shard attempts that ended without success and will be placed again, by reason (exit, oom, start-failed, fenced, lost).", "reason");
        _failures = factory.CreateCounter("sched_shard_failures_total",
            "Shards that failed for good (the restart policy allows no more attempts), by the last attempt's reason.", "reason");
        _oomKills = factory.CreateCounter("sched_oom_kills_total", "Shard attempts killed for exceeding their memory limit.");
        _nodeFailures = factory.CreateCounter("sched_node_failures_total", "Cluster members downed (removed after being marked down, not after leaving).");
        _periodicRuns = factory.CreateCounter("sched_periodic_runs_total",
            "Occurrences of periodic jobs' schedules: started a run, or skipped (the previous run still ran).", "outcome");
        _periodicRuns.WithLabels("started");
        _periodicRuns.WithLabels("skipped");
        _placementLatency = factory.CreateHistogram("sched_placement_latency_seconds",
            "Time from a shard becoming placeable (job submitted, or retry backoff over) to its placement.",
            new HistogramConfiguration { Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });
        _recovery = factory.CreateHistogram("sched_node_recovery_seconds",
            "Time from a node's loss to the last of the shards lost with it running again.",
            new HistogramConfiguration { Buckets = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200] });
        // Every kind starts at zero; a shard lost with its node is placed again and never fails for good, and a shard
        // whose image no node or registry has fails at once and is never placed again.
        foreach (var outcome in Enum.GetValues<AttemptOutcome>())
        {
            if (outcome != AttemptOutcome.ImageUnavailable)
            {
                _restarts.WithLabels(AttemptEndKind.Of(outcome));
            }

            if (outcome != AttemptOutcome.Lost)
            {
                _failures.WithLabels(AttemptEndKind.Of(outcome));
            }
        }
    }

    /// <summary>The instance of this process, on <see cref="ProcessMetrics.Registry"/>.</summary>
    public static SchedulerMetrics Process => ProcessWide.Value;

    /// <summary>Where these metrics are registered.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts and times one event the scheduler applied. Call it once per event as it happens, not on replay.</summary>
    public void Observe(ISchedulerEvent evt)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            switch (evt)
            {
                case JobAccepted e:
                    _waits.Accepted(e.JobId, e.Spec.Shards, e.At);
                    break;
                case ShardPlaced e:
                    _placements.Inc();
                    if (_waits.Placed(e.Id.JobId, e.Id.Shard, now) is { } waited)
                    {
                        _placementLatency.Observe(waited.TotalSeconds);
                    }

                    break;
                case ShardRunning e:
                    Recovered(_recoveries.Ran(e.Id.JobId, e.Id.Shard, now));
                    break;
                case ShardSucceeded e:
                    Recovered(_recoveries.Ran(e.Id.JobId, e.Id.Shard, now));
                    break;
                case ShardRetrying e:
                    Ended(_restarts, e.Outcome);
                    _waits.Placeable(e.Id.JobId, e.Id.Shard, e.RetryAt);
                    break;
                case ShardFailed e:
                    Ended(_failures, e.Outcome);
                    Recovered(_recoveries.GaveUp(e.Id.JobId, e.Id.Shard, now));
                    break;
                case ShardLost e:
                    Ended(_restarts, AttemptOutcome.Lost);
                    _waits.Placeable(e.Id.JobId, e.Id.Shard, e.RetryAt);
                    _recoveries.Lost(e.Node, e.Id.JobId, e.Id.Shard, now);
                    break;
                case ShardsRerun e:
                    foreach (var shard in e.Shards)
                    {
                        _waits.Placeable(e.JobId, shard, e.At);
                    }

                    break;
                case JobCancelled e:
                    _waits.Forget(e.JobId);
                    break;
                case ScheduledRun e:
                    _periodicRuns.WithLabels(e.RunId is null ? "skipped" : "started").Inc();
                    break;
                case JobStopped e:
                    _waits.Forget(e.JobId);
                    Recovered(_recoveries.Stopped(e.JobId, now));
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The cluster downed a member.</summary>
    public void NodeDowned() => _nodeFailures.Inc();

    private void Ended(Counter counter, AttemptOutcome outcome)
    {
        counter.WithLabels(AttemptEndKind.Of(outcome)).Inc();
        if (outcome == AttemptOutcome.OomKilled)
        {
            _oomKills.Inc();
        }
    }

    private void Recovered(IReadOnlyList<TimeSpan> recoveries)
    {
        foreach (var recovery in recoveries)
        {
            _recovery.Observe(recovery.TotalSeconds);
        }
    }
}
