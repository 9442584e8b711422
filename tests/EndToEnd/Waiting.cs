using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sched.EndToEnd;

/// <summary>Polls a real system until it shows what a test expects; the timeouts are generous because the machines are loaded.</summary>
public static class Wait
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>Waits until <paramref name="condition"/> holds; on timeout fails with <paramref name="what"/> and what <paramref name="observed"/> saw last.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan? timeout = null, string what = "condition", Func<Task<string>>? observed = null)
    {
        var limit = timeout ?? Default;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                var last = observed is null ? "" : $"; last seen:\n{await observed()}";
                Assert.Fail($"{what} not met within {limit.TotalSeconds:0} s{last}");
            }

            await Task.Delay(250);
        }
    }
}

/// <summary>What the sched CLI prints, read back.</summary>
public static partial class SchedOutput
{
    /// <summary>The job id from the first line of `sched run` or `sched submit` (`job ID: ...`), or from `--detach` (just the id).</summary>
    public static string JobIdOf(ProcessResult run) =>
        FirstLine().Match(run.Stdout) is { Success: true } m ? m.Groups[1].Value
        : DetachedId().Match(run.Stdout) is { Success: true } d ? d.Groups[1].Value
        : throw new InvalidOperationException($"no job id in the output of sched:\n{run}");

    [GeneratedRegex(@"^job ([a-z0-9-]+): ", RegexOptions.Multiline)]
    private static partial Regex FirstLine();

    [GeneratedRegex(@"^\s*([a-z0-9-]+)\s*$")]
    private static partial Regex DetachedId();
}
