using Prometheus;

namespace Sched.Scheduler.Metrics;

/// <summary>
/// A labelled gauge whose values are all set anew for every scrape. The label sets that were not set this time
/// (a node gone, a job no longer shown) are removed when the round is published, so nothing stale is exported.
/// </summary>
public sealed class ScrapedGauge(Gauge gauge)
{
    private Dictionary<string, string[]> _previous = new(StringComparer.Ordinal);
    private Dictionary<string, string[]> _current = new(StringComparer.Ordinal);

    public void Set(double value, params string[] labels)
    {
        gauge.WithLabels(labels).Set(value);
        _current[string.Join('\0', labels)] = labels;
    }

    /// <summary>Ends a round: removes what the previous round set and this one did not.</summary>
    public void Publish()
    {
        foreach (var (key, labels) in _previous)
        {
            if (!_current.ContainsKey(key))
            {
                gauge.RemoveLabelled(labels);
            }
        }

        (_previous, _current) = (_current, _previous);
        _current.Clear();
    }
}
