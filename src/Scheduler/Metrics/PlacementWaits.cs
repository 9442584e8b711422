namespace Sched.Scheduler.Metrics;

/// <summary>
/// Since when each shard may be placed: its job's submission, or the end of its retry backoff. Placement latency
/// is the time from then to the shard's placement. Not thread-safe; <see cref="SchedulerMetrics"/> guards it.
/// </summary>
public sealed class PlacementWaits
{
    private readonly Dictionary<string, Dictionary<int, DateTimeOffset>> _since = new(StringComparer.Ordinal);

    /// <summary>Shards waiting for a placement, over all jobs.</summary>
    public int Count => _since.Values.Sum(j => j.Count);

    public void Accepted(string jobId, int shards, DateTimeOffset at)
    {
        var job = new Dictionary<int, DateTimeOffset>(shards);
        for (var shard = 1; shard <= shards; shard++)
        {
            job[shard] = at;
        }

        _since[jobId] = job;
    }

    public void Placeable(string jobId, int shard, DateTimeOffset from)
    {
        if (!_since.TryGetValue(jobId, out var job))
        {
            _since[jobId] = job = [];
        }

        job[shard] = from;
    }

    /// <summary>How long the shard waited, or null if it was not known to wait (a scheduler started since).</summary>
    public TimeSpan? Placed(string jobId, int shard, DateTimeOffset now)
    {
        if (!_since.TryGetValue(jobId, out var job) || !job.Remove(shard, out var since))
        {
            return null;
        }

        if (job.Count == 0)
        {
            _since.Remove(jobId);
        }

        return now > since ? now - since : TimeSpan.Zero;
    }

    public void Forget(string jobId) => _since.Remove(jobId);
}
