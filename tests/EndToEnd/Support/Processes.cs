using System.Diagnostics;
using System.Text;

namespace Sched.EndToEnd.Support;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs real commands (the sched CLI and agent, podman, local-cluster.sh, ip) as a person would, with exactly the
/// environment a test chooses: the caller's SCHED_* variables (which would change the agents and the CLI) and
/// JOURNAL_STREAM (which makes an agent log JSON) are never inherited; what a test sets in <c>env</c> is.
/// </summary>
public static class Processes
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs a command to its end and captures what it printed; kills it after <paramref name="timeout"/>.</summary>
    /// <param name="unset">more variables the child must not inherit from the test process.</param>
    public static async Task<ProcessResult> RunAsync(
        string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null, IEnumerable<string>? unset = null)
    {
        var info = StartInfo(file, args, env, unset);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
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

    /// <summary>Runs a command that must succeed (as root: ip, kill, chmod) and returns what it printed.</summary>
    public static async Task<string> Must(string file, params string[] args)
    {
        var result = await RunAsync(file, args, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    /// <summary>Starts a process that runs beside the test (an agent, a podman service, a CLI that follows); its lines go to the callbacks.</summary>
    /// <param name="stderr">where the lines of standard error go; null drops them.</param>
    public static Process Start(
        string file, IEnumerable<string> args, Action<string> stdout, Action<string>? stderr,
        IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null, IEnumerable<string>? unset = null)
    {
        var info = StartInfo(file, args, env, unset);
        info.WorkingDirectory = workingDirectory ?? "";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, e) => Forward(e.Data, stdout);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, stderr);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Starts a process that runs beside the test, both its outputs going to <paramref name="log"/>.</summary>
    public static Process Start(
        string file, IEnumerable<string> args, CapturedOutput log,
        IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null, IEnumerable<string>? unset = null) =>
        Start(file, args, log.Append, log.Append, env, workingDirectory, unset);

    private static void Forward(string? line, Action<string>? to)
    {
        if (line is not null)
        {
            to?.Invoke(line);
        }
    }

    private static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env, IEnumerable<string>? unset)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var inherited = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("SCHED_", StringComparison.Ordinal) || k == "JOURNAL_STREAM");
        foreach (var key in inherited.Concat(unset ?? []))
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }
}

/// <summary>What a background process prints, kept in memory and in a log file, read while it runs.</summary>
public sealed class CapturedOutput(string path)
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

    public string Path { get; } = path;

    public void Append(string line)
    {
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
