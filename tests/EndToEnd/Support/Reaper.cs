using System.Diagnostics;
using System.Globalization;

namespace Sched.EndToEnd.Support;

/// <summary>
/// Takes away what tests started: processes (a recorded pid only while its command line shows it is still that
/// process), the mounts podman leaves, and the temp folders of test runs whose process is gone (killed, so no
/// cleanup ran) with what runs from them.
/// </summary>
public static class Reaper
{
    private const string OwnerFile = "owner";

    /// <summary>A new temp folder that records this test process as its owner, for <see cref="ReapAbandoned"/>.</summary>
    public static string OwnedFolder(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        File.WriteAllText(Path.Combine(dir, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return dir;
    }

    /// <summary>Hands every temp folder with this prefix whose owner process is gone to <paramref name="takeDown"/>.</summary>
    public static async Task ReapAbandoned(string prefix, Func<string, Task> takeDown)
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var owner = Path.Combine(dir, OwnerFile);
            if (File.Exists(owner) && int.TryParse(await File.ReadAllTextAsync(owner), CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                await takeDown(dir);
            }
        }
    }

    public static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>The process's command line, its arguments joined by spaces; empty when it is gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The pids of processes whose command line ends with <paramref name="suffix"/>.</summary>
    public static IReadOnlyList<int> PidsWhoseCommandEndsWith(string suffix) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).EndsWith(suffix, StringComparison.Ordinal))];

    /// <summary>The pid recorded in <paramref name="pidFile"/>, if that process still runs with <paramref name="mark"/> in its command line.</summary>
    public static int? RecordedPid(string pidFile, string mark) =>
        File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture, out var pid)
            && (CommandLine(pid) + " ").Contains(mark + " ", StringComparison.Ordinal)
            ? pid
            : null;

    /// <summary>SIGKILL to the recorded process, if it is still the one (see <see cref="RecordedPid"/>).</summary>
    public static async Task KillRecorded(string pidFile, string mark)
    {
        if (RecordedPid(pidFile, mark) is { } pid)
        {
            await Processes.RunAsync("kill", ["-KILL", $"{pid}"]);
        }
    }

    /// <summary>SIGTERM to the recorded process, if it is still the one; SIGKILL if it has not exited after <paramref name="grace"/>.</summary>
    public static async Task TerminateRecorded(string pidFile, string mark, TimeSpan grace)
    {
        if (RecordedPid(pidFile, mark) is not { } pid)
        {
            return;
        }

        await Processes.RunAsync("kill", ["-TERM", $"{pid}"]);
        if (!await Wait.Within(() => Task.FromResult(!IsRunning(pid)), grace, TimeSpan.FromMilliseconds(200)))
        {
            await Processes.RunAsync("kill", ["-KILL", $"{pid}"]);
        }
    }

    /// <summary>Kills a process this test started, if it still runs, and waits until it is gone.</summary>
    public static void Kill(Process? process, bool entireProcessTree = false)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree);
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Unmounts what podman left mounted below <paramref name="root"/> (its storage's overlay and shm), deepest first.</summary>
    public static async Task UnmountBelow(string root)
    {
        var mounts = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' '))
            .Where(f => f.Length > 4 && f[4].StartsWith(root + "/", StringComparison.Ordinal))
            .Select(f => f[4]).OrderByDescending(m => m.Length).ToList();
        foreach (var mount in mounts)
        {
            if ((await Processes.RunAsync("umount", [mount])).ExitCode != 0)
            {
                await Processes.RunAsync("umount", ["-l", mount]);
            }
        }
    }
}
