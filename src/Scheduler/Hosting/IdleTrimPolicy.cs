namespace Sched.Scheduler.Hosting;

/// <summary>
/// When to hand memory back to the board: at the first quiet check after a busy spell that allocated a burst. The GC
/// keeps the regions a burst committed, and malloc its freed chunks, until something asks. Neither starting nor a
/// quiet trickle asks: an idle agent whose heap was collected aggressively was larger a few minutes later, not smaller.
/// </summary>
public sealed class IdleTrimPolicy(long burstBytes, long quietBytes)
{
    private long _spell;
    private bool _started;

    /// <summary>Called once per check with the bytes allocated since the previous check.</summary>
    public bool ShouldTrim(long allocatedSinceLastCheck)
    {
        if (allocatedSinceLastCheck > quietBytes)
        {
            _spell += allocatedSinceLastCheck;
            return false;
        }

        var trim = _started && _spell >= burstBytes;
        _started = true;
        _spell = 0;
        return trim;
    }
}
