using System.Diagnostics;

namespace Sched.EndToEnd.Failures;

/// <summary>
/// Runs a command with exactly the environment the failure tests choose: the caller's SCHED_* variables (which
/// would change the agents and the CLI) and JOURNAL_STREAM (which makes the agents log JSON) are not inherited.
/// </summary>
public static class Commands
{
    public static async Task<ProcessResult> Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("SCHED_", StringComparison.Ordinal) || k == "JOURNAL_STREAM"))
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {limit}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed (as root: ip, kill) and returns what it printed.</summary>
    public static async Task<string> Must(string file, params string[] args)
    {
        var result = await Run(file, args, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    /// <summary>The checkout the tests were built from: the folder holding Scheduler.sln.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scheduler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"no Scheduler.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The pids of processes whose command line, arguments joined by spaces, ends with <paramref name="suffix"/>.</summary>
    public static IReadOnlyList<int> PidsWhoseCommandEndsWith(string suffix)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).TrimEnd('\0').Replace('\0', ' ');
                if (cmdline.EndsWith(suffix, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }
}
