using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// A real `sched agent --dev` process that a test can SIGKILL, stop and start again on the same data dir and HTTP
/// port, on a <see cref="PrivatePodman"/> store. Every incarnation appends to one log (<see cref="LogPath"/>), each
/// beginning with a marker line. The process gets none of the caller's SCHED_* variables.
/// </summary>
public sealed class DurableDevAgent : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private readonly PrivatePodman _store;
    private Process? _process;
    private CapturedOutput? _incarnationLog;
    private int _incarnations;

    public DurableDevAgent(PrivatePodman store, string nodeName)
    {
        _store = store;
        NodeName = nodeName;
        DataDir = Path.Combine(store.AgentsDir, nodeName);
        Directory.CreateDirectory(DataDir);
        Address = $"http://127.0.0.1:{FreePort()}";
        Http = new HttpClient(new BearerTokenHandler(TokenFile)) { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(120) };
    }

    public string NodeName { get; }

    public string DataDir { get; }

    public string Address { get; }

    public string StateFile => Path.Combine(DataDir, "scheduler-state.db");

    public string LogPath => Path.Combine(DataDir, "agent.log");

    /// <summary>The API token file the agent writes on its first start.</summary>
    public string TokenFile => Path.Combine(DataDir, "api-token");

    public HttpClient Http { get; }

    public bool Running => _process is { HasExited: false };

    /// <summary>What the current (or last) incarnation printed.</summary>
    public string IncarnationLog => _incarnationLog?.ToString() ?? "";

    /// <summary>Starts the agent and waits until its node is up in GET /v1/nodes; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync()
    {
        var clock = Stopwatch.StartNew();
        Launch();
        while (!await NodeIsUp())
        {
            if (_process!.HasExited)
            {
                Assert.Fail($"sched agent {NodeName} exited with {_process.ExitCode} while starting:\n{IncarnationLog}");
            }

            if (clock.Elapsed > StartTimeout)
            {
                Assert.Fail($"sched agent {NodeName}: node not up within {StartTimeout.TotalSeconds:0} s:\n{IncarnationLog}");
            }

            await Task.Delay(250);
        }

        return clock.Elapsed;
    }

    /// <summary>Starts the agent and expects it to exit by itself within <paramref name="timeout"/>; returns its exit code and output.</summary>
    public async Task<ProcessResult> StartExpectingExit(TimeSpan timeout)
    {
        Launch();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process!.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"sched agent {NodeName} still ran {timeout.TotalSeconds:0} s after it was started; expected it to refuse to start:\n{IncarnationLog}");
        }

        // The output readers may lag behind the exit by a moment.
        await Task.Delay(500);
        return new ProcessResult(_process.ExitCode, IncarnationLog, "");
    }

    /// <summary>SIGKILL: no shutdown hooks, no last flush.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>SIGTERM and wait for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        if (!process.HasExited)
        {
            await Processes.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(cancel.Token);
        }

        return process.ExitCode;
    }

    /// <summary>CPU time (user + system) the current incarnation has used so far.</summary>
    public TimeSpan CpuTime()
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>The sched CLI against this agent.</summary>
    public Task<ProcessResult> Sched(params string[] args) => Processes.RunAsync(
        Processes.SchedBinary(), args, new Dictionary<string, string> { ["SCHED_ADDR"] = Address, ["SCHED_TOKEN_FILE"] = TokenFile }, TimeSpan.FromMinutes(3),
        InheritedSchedVariables(except: "SCHED_ADDR"));

    public async Task<IReadOnlyList<JsonElement>> Jobs()
    {
        using var response = await Http.GetAsync(new Uri("/v1/jobs", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /v1/jobs: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return [.. doc.RootElement.EnumerateArray().Select(j => j.Clone())];
    }

    public async Task<JsonElement> Job(string id)
    {
        using var response = await Http.GetAsync(new Uri($"/v1/jobs/{id}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /v1/jobs/{id}: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>SCHED_* (which would change the agent and the CLI) and JOURNAL_STREAM (which makes the agent log JSON).</summary>
    public static string[] InheritedSchedVariables(string? except = null) =>
        [.. Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("SCHED_", StringComparison.Ordinal) || k == "JOURNAL_STREAM") && k != except)];

    private void Launch()
    {
        if (Running)
        {
            throw new InvalidOperationException($"sched agent {NodeName} already runs (pid {_process!.Id})");
        }

        _process?.Dispose();
        _incarnations++;
        var marker = $"===== {DateTime.Now:HH:mm:ss.fff} incarnation {_incarnations} of {NodeName}";
        File.AppendAllText(LogPath, marker + Environment.NewLine);
        var log = new CapturedOutput(LogPath);
        var info = new ProcessStartInfo(Processes.SchedBinary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDir,
        };
        foreach (var arg in new[]
        {
            "agent", "--dev", "--node-name", NodeName, "--http", Address["http://".Length..], "--data-dir", DataDir, "--podman-socket", _store.Socket,
        })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in InheritedSchedVariables())
        {
            info.Environment.Remove(key);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => log.Append(e.Data);
        _process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        File.WriteAllText(Path.Combine(DataDir, "agent.pid"), _process.Id.ToString(CultureInfo.InvariantCulture));
        _incarnationLog = log;
    }

    private async Task<bool> NodeIsUp()
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            using var response = await Http.GetAsync(new Uri("/v1/nodes", UriKind.Relative), cancel.Token);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel.Token));
            return doc.RootElement.EnumerateArray().Any(n => n.GetProperty("name").GetString() == NodeName && n.GetProperty("status").GetString() == "up");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
