using Sched.Contracts.Jobs;
using Sched.Contracts.Quantities;
using Sched.Scheduler.Decisions.Placement;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Metrics;
using Serilog;

namespace Sched.Scheduler.Actors;

/// <summary>
/// The lines a person watches: one per placement, and one per shard outcome; each event is also counted in
/// <paramref name="metrics"/> (by default the process's, which /metrics serves).
/// </summary>
public sealed class PlacementLog(ILogger log, SchedulerMetrics? metrics = null)
{
    private readonly SchedulerMetrics _metrics = metrics ?? SchedulerMetrics.Process;

    public void Placed(JobSpec spec, PlacementDecision decision)
    {
        var id = decision.Request.Id;
        log.Information(
            "placed {Job} shard {Shard}/{Shards} attempt {Attempt} on {Node} (memory {Memory}, cpus {Cpus}; free before: memory {FreeMemory}, cpus {FreeCpus})",
            id.JobId, id.Shard, spec.Shards, id.Attempt, decision.Node,
            Quantity.FormatMemory(spec.Resources.MemoryBytes), Quantity.FormatCpus(spec.Resources.MilliCpus),
            Quantity.DescribeMemory(decision.FreeMemoryBefore), Quantity.FormatCpus(decision.FreeMilliCpusBefore));
    }

    public void Describe(ISchedulerEvent evt)
    {
        _metrics.Observe(evt);
        switch (evt)
        {
            case ShardWaiting e:
                log.Information("pending {Job} shard {Shard}: {Reason}", e.JobId, e.Shard, e.Reason);
                break;
            case ShardSucceeded e:
                log.Information("succeeded {Job} shard {Shard} attempt {Attempt}", e.Id.JobId, e.Id.Shard, e.Id.Attempt);
                break;
            case ShardRetrying e:
                log.Warning("retrying {Job} shard {Shard} after attempt {Attempt}: {Reason}; next attempt at {RetryAt:HH:mm:ss.fff}",
                    e.Id.JobId, e.Id.Shard, e.Id.Attempt, e.Reason, e.RetryAt);
                break;
            case ShardFailed e:
                log.Error("failed {Job} shard {Shard}: {Reason}", e.Id.JobId, e.Id.Shard, e.Reason);
                break;
            case JobCancelled e:
                log.Warning("cancelled {Job}: {Reason}", e.JobId, e.Reason);
                break;
            case ScheduledRun { RunId: { } run } e:
                log.Information("periodic {Job}: started {Run}, the run due at {Occurrence}", e.JobId, run, PeriodicRuns.Format(e.Occurrence));
                break;
            case ScheduledRun e:
                log.Warning("periodic {Job}: skipped the run due at {Occurrence}: {Reason}", e.JobId, PeriodicRuns.Format(e.Occurrence), e.SkippedBecause);
                break;
            default:
                break;
        }
    }
}
