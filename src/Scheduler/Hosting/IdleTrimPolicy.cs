namespace Sched.Scheduler.Hosting;

/// <summary>
/// When to hand memory back to the board: after the process has allocated a burst since the last time, once it has
/// gone quiet. The GC keeps the regions a burst committed, and malloc keeps its freed chunks, until something asks.
/// </summary>
public sealed class IdleTrimPolicy
{
    private readonly long _burstBytes;
    private readonly long _quietBytes;
    private long _allocatedSinceTrim;

    public IdleTrimPolicy(long burstBytes, long quietBytes)
    {
        _burstBytes = burstBytes;
        _quietBytes = quietBytes;
        // Starting counts as a busy spell: loading assemblies and joining the cluster leave memory behind too.
        _allocatedSinceTrim = burstBytes;
    }

    /// <summary>Called once per check with the bytes allocated since the previous check.</summary>
    public bool ShouldTrim(long allocatedSinceLastCheck)
    {
        var quiet = allocatedSinceLastCheck <= _quietBytes;
        _allocatedSinceTrim += allocatedSinceLastCheck;
        if (!quiet || _allocatedSinceTrim < _burstBytes)
        {
            return false;
        }

        _allocatedSinceTrim = 0;
        return true;
    }
}
