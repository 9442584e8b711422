using System.Diagnostics;

namespace Sched.EndToEnd.Support;

/// <summary>Polls a real system until it shows what a test expects; the timeouts are generous because the machines are loaded.</summary>
public static class Wait
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds and returns how long that took; on timeout fails the test with
    /// <paramref name="what"/> was awaited and what <paramref name="observed"/> saw last.
    /// </summary>
    public static async Task<TimeSpan> Until(
        Func<Task<bool>> condition, TimeSpan? timeout = null, string what = "condition", Func<Task<string>>? observed = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? Default;
        var clock = Stopwatch.StartNew();
        if (await Within(condition, limit, interval))
        {
            return clock.Elapsed;
        }

        var last = observed is null ? "" : $"; last seen:\n{await observed()}";
        Assert.Fail($"{what}: not within {limit.TotalSeconds:0} s{last}");
        return clock.Elapsed;
    }

    public static Task<TimeSpan> Until(
        Func<bool> condition, TimeSpan? timeout = null, string what = "condition", Func<Task<string>>? observed = null, TimeSpan? interval = null) =>
        Until(() => Task.FromResult(condition()), timeout, what, observed, interval);

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> has passed; false if it never held.</summary>
    public static async Task<bool> Within(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(interval ?? Interval);
        }

        return true;
    }
}
