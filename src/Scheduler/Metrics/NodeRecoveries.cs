namespace Sched.Scheduler.Metrics;

/// <summary>
/// Recovery from a node's loss: from when its shards were lost to when the last of them runs again. Shards
/// that will not run again (failed, stopped) no longer hold the recovery open. Not thread-safe;
/// <see cref="SchedulerMetrics"/> guards it.
/// </summary>
public sealed class NodeRecoveries
{
    private readonly Dictionary<string, Loss> _losses = new(StringComparer.Ordinal);

    /// <summary>Nodes whose lost shards do not all run again yet.</summary>
    public int Open => _losses.Count;

    /// <summary>A shard lost with its node. Later losses of the same node join the open recovery.</summary>
    public void Lost(string node, string jobId, int shard, DateTimeOffset now)
    {
        if (!_losses.TryGetValue(node, out var loss))
        {
            _losses[node] = loss = new Loss(now);
        }

        loss.Waiting.Add((jobId, shard));
    }

    /// <summary>The shard runs again (or already ran to its end); returns the recoveries this completes.</summary>
    public IReadOnlyList<TimeSpan> Ran(string jobId, int shard, DateTimeOffset now) =>
        Settle(loss => loss.Waiting.Remove((jobId, shard)), now, ran: true);

    /// <summary>The shard will not run again (it failed for good); returns the recoveries this completes.</summary>
    public IReadOnlyList<TimeSpan> GaveUp(string jobId, int shard, DateTimeOffset now) =>
        Settle(loss => loss.Waiting.Remove((jobId, shard)), now, ran: false);

    /// <summary>The job was stopped: none of its shards will run again.</summary>
    public IReadOnlyList<TimeSpan> Stopped(string jobId, DateTimeOffset now) =>
        Settle(loss => loss.Waiting.RemoveWhere(w => w.JobId == jobId) > 0, now, ran: false);

    private List<TimeSpan> Settle(Func<Loss, bool> settle, DateTimeOffset now, bool ran)
    {
        List<TimeSpan>? done = null;
        List<string>? closed = null;
        foreach (var (node, loss) in _losses)
        {
            if (!settle(loss))
            {
                continue;
            }

            if (ran)
            {
                loss.LastRan = now;
            }

            if (loss.Waiting.Count == 0)
            {
                (closed ??= []).Add(node);
                if (loss.LastRan is { } last)
                {
                    (done ??= []).Add(last > loss.At ? last - loss.At : TimeSpan.Zero);
                }
            }
        }

        foreach (var node in closed ?? [])
        {
            _losses.Remove(node);
        }

        return done ?? [];
    }

    private sealed class Loss(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;

        public HashSet<(string JobId, int Shard)> Waiting { get; } = [];

        public DateTimeOffset? LastRan { get; set; }
    }
}
