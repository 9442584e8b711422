using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Support;

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
