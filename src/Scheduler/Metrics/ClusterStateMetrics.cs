using Prometheus;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Metrics;

/// <summary>
/// Gauges of the scheduler's current state, set from its job and node lists on each scrape: nodes by state,
/// each node's capacity, allocatable, allocated and free CPU and memory, jobs and shards by state, and the
/// shards of each job by state. A finished job's series stay for <c>finishedJobRetention</c> after this
/// exporter first saw it finished, so the number of series does not grow with every job ever run.
/// </summary>
public sealed class ClusterStateMetrics
{
    /// <summary>How long a finished job (complete, failed, stopped) keeps its <c>sched_job_shards</c> series.</summary>
    public static readonly TimeSpan DefaultFinishedJobRetention = TimeSpan.FromHours(1);

    private static readonly string[] NodeStates = Names<NodeStatus>();
    private static readonly string[] JobStates = Names<JobStatus>();
    private static readonly string[] ShardStates = Names<ShardStatus>();

    private readonly TimeSpan _finishedJobRetention;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _finishedSince = new(StringComparer.Ordinal);
    private readonly Gauge _reachable;
    private readonly ScrapedGauge _nodes;
    private readonly ScrapedGauge[] _nodeResources;
    private readonly ScrapedGauge _nodeShards;
    private readonly ScrapedGauge _jobs;
    private readonly ScrapedGauge _shards;
    private readonly ScrapedGauge _jobShards;

    public ClusterStateMetrics(CollectorRegistry registry, TimeSpan finishedJobRetention)
    {
        _finishedJobRetention = finishedJobRetention;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        ScrapedGauge Gauge(string name, string help, params string[] labels) => new(factory.CreateGauge(name, help, labels));
        _reachable = factory.CreateGauge("sched_scheduler_reachable", "1 if the scheduler answered this scrape's state queries in time, else 0 (and no state gauges).");
        _nodes = Gauge("sched_nodes", "Nodes by state (up, unhealthy, unreachable, down).", "state");
        _nodeResources =
        [
            Gauge("sched_node_capacity_cpu_cores", "CPU cores the node's container engine reports.", "node"),
            Gauge("sched_node_allocatable_cpu_cores", "CPU cores the node offers to shards (capacity minus the system reservation).", "node"),
            Gauge("sched_node_allocated_cpu_cores", "CPU cores the node's placed and running shards hold.", "node"),
            Gauge("sched_node_free_cpu_cores", "CPU cores still free for shards (allocatable minus allocated).", "node"),
            Gauge("sched_node_capacity_memory_bytes", "Memory the node's container engine reports.", "node"),
            Gauge("sched_node_allocatable_memory_bytes", "Memory the node offers to shards (capacity minus the system reservation).", "node"),
            Gauge("sched_node_allocated_memory_bytes", "Memory the node's placed and running shards hold.", "node"),
            Gauge("sched_node_free_memory_bytes", "Memory still free for shards (allocatable minus allocated).", "node"),
        ];
        _nodeShards = Gauge("sched_node_shards", "Shards placed or running on the node.", "node");
        _jobs = Gauge("sched_jobs", "Jobs by state (pending, running, complete, failed, stopped).", "state");
        _shards = Gauge("sched_shards", "Shards of all jobs by state (pending, placed, running, succeeded, failed, lost, stopped).", "state");
        _jobShards = Gauge("sched_job_shards", "Shards of one job by state; only states with shards, and finished jobs only for a while.", "job_id", "state");
    }

    /// <summary>Sets every gauge from the scheduler's answer.</summary>
    public void Update(IReadOnlyList<JobView> jobs, IReadOnlyList<NodeView> nodes, DateTimeOffset now)
    {
        lock (_gate)
        {
            _reachable.Set(1);
            SetNodes(nodes);
            SetJobs(jobs, now);
            Publish();
        }
    }

    /// <summary>The scheduler did not answer: say so, and export no state rather than a stale one.</summary>
    public void SchedulerUnreachable()
    {
        lock (_gate)
        {
            _reachable.Set(0);
            Publish();
        }
    }

    private void SetNodes(IReadOnlyList<NodeView> nodes)
    {
        var byState = nodes.CountBy(n => n.Status).ToDictionary();
        foreach (var (state, name) in Enum.GetValues<NodeStatus>().Zip(NodeStates))
        {
            _nodes.Set(byState.GetValueOrDefault(state), name);
        }

        foreach (var node in nodes)
        {
            var free = new NodeCapacity(node.Allocatable.MilliCpus - node.Allocated.MilliCpus, node.Allocatable.MemoryBytes - node.Allocated.MemoryBytes);
            NodeCapacity[] values = [node.Total, node.Allocatable, node.Allocated, free];
            for (var i = 0; i < values.Length; i++)
            {
                _nodeResources[i].Set(values[i].MilliCpus / 1000.0, node.Name);
                _nodeResources[i + values.Length].Set(values[i].MemoryBytes, node.Name);
            }

            _nodeShards.Set(node.Shards, node.Name);
        }
    }

    private void SetJobs(IReadOnlyList<JobView> jobs, DateTimeOffset now)
    {
        var jobsByState = new int[JobStates.Length];
        var shardsByState = new int[ShardStates.Length];
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            present.Add(job.Id);
            jobsByState[(int)job.Status]++;
            var ofJob = new int[ShardStates.Length];
            foreach (var shard in job.Shards)
            {
                ofJob[(int)shard.Status]++;
            }

            var shown = Shown(job, now);
            for (var s = 0; s < ofJob.Length; s++)
            {
                shardsByState[s] += ofJob[s];
                if (shown && ofJob[s] > 0)
                {
                    _jobShards.Set(ofJob[s], job.Id, ShardStates[s]);
                }
            }
        }

        for (var j = 0; j < JobStates.Length; j++)
        {
            _jobs.Set(jobsByState[j], JobStates[j]);
        }

        for (var s = 0; s < ShardStates.Length; s++)
        {
            _shards.Set(shardsByState[s], ShardStates[s]);
        }

        _finishedSince.Keys.Where(id => !present.Contains(id)).ToList().ForEach(id => _finishedSince.Remove(id));
    }

    /// <summary>A running or pending job is always shown; a finished one until the retention after it was first seen finished.</summary>
    private bool Shown(JobView job, DateTimeOffset now)
    {
        if (job.Status is JobStatus.Pending or JobStatus.Running)
        {
            _finishedSince.Remove(job.Id);
            return true;
        }

        if (!_finishedSince.TryGetValue(job.Id, out var since))
        {
            _finishedSince[job.Id] = since = now;
        }

        return now - since < _finishedJobRetention;
    }

    private void Publish()
    {
        foreach (var gauge in (ScrapedGauge[])[_nodes, .. _nodeResources, _nodeShards, _jobs, _shards, _jobShards])
        {
            gauge.Publish();
        }
    }

    private static string[] Names<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => v.ToString().ToLowerInvariant()).ToArray();
}
