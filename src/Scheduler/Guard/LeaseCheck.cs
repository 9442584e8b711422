namespace Sched.Scheduler.Guard;

/// <summary>What the guard does next, given when the lease runs out (null: no lease file) and the time now.</summary>
public static class LeaseCheck
{
    /// <summary>The guard looks at the lease at least this often: a new agent's renewals may bring its end closer.</summary>
    public static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Null: the lease has run out, stop the containers; otherwise how long to sleep before looking again.</summary>
    public static TimeSpan? SleepBeforeNextLook(DateTime? expiresAt, DateTime now) =>
        expiresAt is { } expires && expires > now ? Min(expires - now, LookEvery) : null;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
