using System.Diagnostics;
using System.Text;

namespace Sched.EndToEnd;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs real commands (the sched CLI, podman) as a person would, and captures what they print.</summary>
public static class Processes
{
    /// <param name="unset">environment variables the child must not inherit from the test process.</param>
    public static async Task<ProcessResult> RunAsync(
        string file, IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null, IEnumerable<string>? unset = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        foreach (var key in unset ?? [])
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<ProcessResult> Podman(params string[] args) => RunAsync("podman", [.. TestPodman.CliArgs, .. args]);

    /// <summary>The `sched` executable built from this checkout.</summary>
    public static string SchedBinary()
    {
        if (Environment.GetEnvironmentVariable("SCHED_BIN") is { Length: > 0 } bin)
        {
            return bin;
        }

        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepoRoot(), "src", "Scheduler", "bin", configuration, "net10.0", "sched");
        return File.Exists(path) ? path : throw new FileNotFoundException($"sched is not built at {path}; run dotnet build Scheduler.sln", path);
    }

    /// <summary>The checkout these tests were built from (the folder holding Scheduler.sln).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scheduler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"no Scheduler.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A log file that a background process writes, read while it runs.</summary>
public sealed class CapturedOutput(string path)
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

    public string Path { get; } = path;

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _text.AppendLine(line);
            File.AppendAllText(Path, line + Environment.NewLine);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
