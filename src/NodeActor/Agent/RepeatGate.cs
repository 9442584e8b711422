namespace Sched.NodeActor.Agent;

/// <summary>
/// Lets the first event of each key through, then at most one per <paramref name="quiet"/> period, telling how many
/// were held back: a stranger that keeps knocking must not fill an SD card with log lines. Safe to call from any thread.
/// </summary>
public sealed class RepeatGate<TKey>(TimeSpan quiet)
    where TKey : notnull
{
    private readonly Dictionary<TKey, (DateTime PassedAt, int HeldBack)> _seen = [];
    private readonly Lock _lock = new();

    /// <summary>True when this event should be logged; <paramref name="count"/> is it plus those held back since the last one let through.</summary>
    public bool Pass(TKey key, DateTime now, out int count)
    {
        lock (_lock)
        {
            if (_seen.TryGetValue(key, out var seen) && now - seen.PassedAt < quiet)
            {
                _seen[key] = seen with { HeldBack = seen.HeldBack + 1 };
                count = 0;
                return false;
            }

            count = seen.HeldBack + 1;
            _seen[key] = (now, 0);
            return true;
        }
    }
}
