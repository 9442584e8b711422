using Prometheus;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Actors;
using Sched.Scheduler.Decisions.Placement;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Metrics;
using Serilog;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>The counters and histograms the scheduler's events drive, fed the events the pure core decides.</summary>
public sealed class SchedulerMetricsSpecs
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly ManualClock _clock = new(T0);
    private readonly SchedulerMetrics _metrics;
    private SchedulerState _state = SchedulerState.Empty;

    public SchedulerMetricsSpecs() => _metrics = new SchedulerMetrics(_registry, _clock);

    [Fact]
    public async Task Before_any_event_every_series_is_exported_at_zero()
    {
        var samples = await Exposition.Samples(_registry);

        Assert.Equal(0, samples["sched_placements_total"]);
        Assert.Equal(["exit", "fenced", "lost", "oom", "start-failed", "timed-out"], Reasons(samples.Of("sched_restarts_total")));
        Assert.Equal(["exit", "fenced", "image-unavailable", "oom", "start-failed", "timed-out"], Reasons(samples.Of("sched_shard_failures_total")));
        Assert.Equal(0, samples["sched_oom_kills_total"]);
        Assert.Equal(0, samples["sched_node_failures_total"]);
        Assert.Equal(0, samples["sched_placement_latency_seconds_count"]);
        Assert.Equal(0, samples["sched_node_recovery_seconds_count"]);
    }

    [Fact]
    public async Task Three_shards_placed_3s_after_submission_count_three_placements_each_waiting_3s()
    {
        Apply(SchedulerDecisions.Accept(JobId, Spec(shards: 3), T0));
        _clock.Now = T0.AddSeconds(3);
        Place(nodes: 2);

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(3, samples["sched_placements_total"]);
        Assert.Equal(3, samples["sched_placement_latency_seconds_count"]);
        Assert.Equal(9, samples["sched_placement_latency_seconds_sum"], precision: 6);
        Assert.Equal(0, samples["sched_placement_latency_seconds_bucket{le=\"2.5\"}"]);
        Assert.Equal(3, samples["sched_placement_latency_seconds_bucket{le=\"5\"}"]);
    }

    [Fact]
    public async Task A_retry_waits_from_the_end_of_its_backoff_and_counts_a_restart_by_its_reason()
    {
        Apply(SchedulerDecisions.Accept(JobId, Spec(shards: 1), T0));
        Place(nodes: 1);
        Apply(SchedulerDecisions.Started(_state, Attempt(1, 1), "c1"));
        var retry = Assert.IsType<ShardRetrying>(Assert.Single(End(Attempt(1, 1), AttemptEnd.Exited(3, false))));
        _clock.Now = retry.RetryAt.AddMilliseconds(250);
        Place(nodes: 1);

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(1, samples["sched_restarts_total{reason=\"exit\"}"]);
        Assert.Equal(2, samples["sched_placements_total"]);
        Assert.Equal(2, samples["sched_placement_latency_seconds_count"]);
        Assert.Equal(0.25, samples["sched_placement_latency_seconds_sum"], precision: 6);
    }

    [Fact]
    public async Task OOM_kills_count_on_retries_and_on_the_final_failure_and_start_failures_and_fencing_by_their_kind()
    {
        Apply(SchedulerDecisions.Accept(JobId, Spec(shards: 3, restart: OnFailure(1)), T0));
        Place(nodes: 3);
        End(Attempt(1, 1), AttemptEnd.Exited(137, oomKilled: true));
        End(Attempt(2, 1), AttemptEnd.FailedToStart("image not found"));
        End(Attempt(3, 1), AttemptEnd.Fenced("node cut off"));
        _clock.Now = T0.AddMinutes(5);
        Place(nodes: 3);
        End(Attempt(1, 2), AttemptEnd.Exited(137, oomKilled: true));

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(
            new Dictionary<string, double> { ["exit"] = 0, ["oom"] = 1, ["start-failed"] = 1, ["fenced"] = 1, ["lost"] = 0, ["timed-out"] = 0 },
            ByReason(samples.Of("sched_restarts_total")));
        Assert.Equal(
            new Dictionary<string, double> { ["exit"] = 0, ["oom"] = 1, ["start-failed"] = 0, ["fenced"] = 0, ["image-unavailable"] = 0, ["timed-out"] = 0 },
            ByReason(samples.Of("sched_shard_failures_total")));
        Assert.Equal(2, samples["sched_oom_kills_total"]);
    }

    [Fact]
    public async Task A_lost_node_recovers_when_the_last_of_its_shards_runs_again()
    {
        Apply(SchedulerDecisions.Accept(JobId, Spec(shards: 2), T0));
        Place(nodes: 1);
        Apply(SchedulerDecisions.Started(_state, Attempt(1, 1), "c1"));
        Apply(SchedulerDecisions.Started(_state, Attempt(2, 1), "c2"));
        _clock.Now = T0.AddSeconds(10);
        Apply(SchedulerDecisions.NodeDown(_state, "node1", _clock.Now, TimeSpan.FromSeconds(1)));
        _clock.Now = T0.AddSeconds(12);
        Place(nodes: 2, skip: "node1");
        _clock.Now = T0.AddSeconds(14);
        Apply(SchedulerDecisions.Started(_state, Attempt(1, 2), "c1b"));
        var halfway = await Exposition.Samples(_registry);
        _clock.Now = T0.AddSeconds(19);
        Apply(SchedulerDecisions.Started(_state, Attempt(2, 2), "c2b"));

        Assert.Equal(0, halfway["sched_node_recovery_seconds_count"]);
        // Lost at 10 s and placeable again after the 1 s fencing margin: each re-placement at 12 s waited 1 s.
        var samples = await Exposition.Samples(_registry);
        Assert.Equal(2, samples["sched_restarts_total{reason=\"lost\"}"]);
        Assert.Equal(1, samples["sched_node_recovery_seconds_count"]);
        Assert.Equal(9, samples["sched_node_recovery_seconds_sum"], precision: 6);
        Assert.Equal(4, samples["sched_placement_latency_seconds_count"]);
        Assert.Equal(2, samples["sched_placement_latency_seconds_sum"], precision: 6);
    }

    [Fact]
    public async Task A_job_stopped_before_its_lost_shards_ran_again_records_no_recovery()
    {
        Apply(SchedulerDecisions.Accept(JobId, Spec(shards: 2), T0));
        Place(nodes: 1);
        Apply(SchedulerDecisions.NodeDown(_state, "node1", T0, TimeSpan.Zero));
        Apply(SchedulerDecisions.Stop(_state, JobId, T0.AddSeconds(5)));
        Apply(SchedulerDecisions.Accept("other-000001", Spec(shards: 1), T0.AddSeconds(6)));
        _clock.Now = T0.AddSeconds(8);
        Place(nodes: 1);

        var samples = await Exposition.Samples(_registry);
        Assert.Equal(0, samples["sched_node_recovery_seconds_count"]);
        Assert.Equal(3, samples["sched_placements_total"]);
        Assert.Equal(3, samples["sched_placement_latency_seconds_count"]);
        Assert.Equal(2, samples["sched_placement_latency_seconds_sum"], precision: 6);
    }

    [Fact]
    public async Task Nodes_downed_are_counted()
    {
        _metrics.NodeDowned();
        _metrics.NodeDowned();

        Assert.Equal(2, (await Exposition.Samples(_registry))["sched_node_failures_total"]);
    }

    [Fact]
    public async Task Periodic_occurrences_count_as_started_or_skipped()
    {
        var everyMinute = Spec(shards: 1) with { Schedule = new JobSchedule("* * * * *", "UTC", AllowOverlap: false) };
        Assert.Equal((0, 0), Periodic(await Exposition.Samples(_registry)));
        Apply(SchedulerDecisions.Accept(JobId, everyMinute, T0));

        Apply(PeriodicRuns.Due(_state, T0.AddMinutes(1)));
        Apply(PeriodicRuns.Due(_state, T0.AddMinutes(2)));

        Assert.Equal((1, 1), Periodic(await Exposition.Samples(_registry)));
    }

    private static (double Started, double Skipped) Periodic(IReadOnlyDictionary<string, double> samples) =>
        (samples["sched_periodic_runs_total{outcome=\"started\"}"], samples["sched_periodic_runs_total{outcome=\"skipped\"}"]);

    [Fact]
    public async Task The_placement_log_hands_every_event_it_describes_to_its_metrics()
    {
        var log = new PlacementLog(new LoggerConfiguration().CreateLogger(), _metrics);

        log.Describe(new ShardPlaced(Attempt(1, 1), "node1"));
        log.Describe(new ShardRetrying(Attempt(1, 1), AttemptOutcome.OomKilled, 137, "oom-killed (memory limit 64Mi)", T0));

        var samples = await Exposition.Samples(_registry);
        Assert.Equal((1, 1, 1), (samples["sched_placements_total"], samples["sched_restarts_total{reason=\"oom\"}"], samples["sched_oom_kills_total"]));
    }

    private void Apply(IEnumerable<ISchedulerEvent> events)
    {
        foreach (var evt in events)
        {
            _state = _state.Apply(evt);
            _metrics.Observe(evt);
        }
    }

    private void Place(int nodes, string? skip = null)
    {
        var cluster = Nodes(nodes + (skip is null ? 0 : 1));
        cluster = ClusterSnapshot.Of(cluster.Nodes.Where(n => n.Name != skip));
        Apply(SchedulerDecisions.Place(_state, cluster, _clock.Now).Events);
    }

    private IReadOnlyList<ISchedulerEvent> End(ShardAttemptId id, AttemptEnd end)
    {
        var events = SchedulerDecisions.Ended(_state, id, end, _clock.Now, 0.5);
        Apply(events);
        return events;
    }

    private static string[] Reasons(IReadOnlyDictionary<string, double> series) =>
        ByReason(series).Keys.Order(StringComparer.Ordinal).ToArray();

    private static Dictionary<string, double> ByReason(IReadOnlyDictionary<string, double> series) =>
        series.ToDictionary(s => s.Key.Split('"')[1], s => s.Value, StringComparer.Ordinal);
}
