using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Sched.EndToEnd.Support;

/// <summary>
/// A real `sched agent --dev` process on loopback. As a collection fixture it runs on the machine's podman socket
/// (or SCHED_TEST_PODMAN_SOCKET) for the tests of the collection; a durability test makes its own on a
/// <see cref="PrivatePodman"/> store and can SIGKILL it, stop it and start it again on the same data dir and HTTP
/// port. Every incarnation appends to one log (<see cref="LogPath"/>), each beginning with a marker line. The pid
/// is recorded in the data dir, so an agent left by a killed test run is reaped by the next one.
/// </summary>
public sealed class DevAgent : IAsyncLifetime, IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private const string TempPrefix = "sched-e2e-dev-";
    private const string PidFileName = "agent.pid";
    private readonly string? _podmanSocket;
    private Process? _process;
    private CapturedOutput? _incarnationLog;
    private int _incarnations;

    /// <summary>The agent a collection shares, on the machine's podman socket, in a temp folder of its own.</summary>
    public DevAgent()
        : this(Reaper.OwnedFolder(TempPrefix), "e2e-node", TestPodman.Socket)
    {
    }

    private DevAgent(string dataDir, string nodeName, string? podmanSocket, string? logDir = null)
    {
        _podmanSocket = podmanSocket;
        NodeName = nodeName;
        DataDir = dataDir;
        LogPath = Path.Combine(logDir ?? dataDir, "agent.log");
        Directory.CreateDirectory(DataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        Address = $"http://127.0.0.1:{Ports.FreeLoopback()}";
        Http = new HttpClient(new BearerTokenHandler(TokenFile)) { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(120) };
    }

    public string NodeName { get; }

    public string DataDir { get; }

    public string Address { get; }

    public string StateFile => Path.Combine(DataDir, "scheduler-state.db");

    public string LogPath { get; }

    /// <summary>The API token file the agent writes in its data dir on its first start.</summary>
    public string TokenFile => Path.Combine(DataDir, "api-token");

    public string Token => File.Exists(TokenFile) ? File.ReadAllText(TokenFile).Trim() : "";

    /// <summary>A client that sends the agent's API token.</summary>
    public HttpClient Http { get; }

    /// <summary>The CLI's environment as a person sets it on another machine: the address and the token.</summary>
    public IReadOnlyDictionary<string, string> CliEnvironment => new Dictionary<string, string> { ["SCHED_ADDR"] = Address, ["SCHED_TOKEN"] = Token };

    public bool Running => _process is { HasExited: false };

    /// <summary>More `sched agent` flags for its next start (--registry-auth FILE, say).</summary>
    public IReadOnlyList<string> ExtraArgs { get; set; } = [];

    /// <summary>Runs the agent through this command line (setpriv as another user, say), which must exec it, keeping the pid.</summary>
    public IReadOnlyList<string> Launcher { get; set; } = [];

    /// <summary>The sched binary the agent runs (a copy another user can read, say).</summary>
    public string Binary { get; set; } = Repo.SchedBinary;

    /// <summary>The node's status in GET /v1/nodes at which <see cref="StartAsync"/> counts the agent as started.</summary>
    public string StartedStatus { get; set; } = "up";

    /// <summary>What the current (or last) incarnation printed.</summary>
    public string IncarnationLog => _incarnationLog?.ToString() ?? "";

    /// <summary>An agent on another podman's API socket (a cluster node's, say), in a temp folder of its own; not started yet.</summary>
    public static DevAgent OnSocket(string podmanSocket, string nodeName) => new(Reaper.OwnedFolder(TempPrefix), nodeName, podmanSocket);

    /// <summary>An agent that finds its podman socket itself (no --podman-socket), in a temp folder of its own; not started yet.</summary>
    public static DevAgent OnDefaultSocket(string nodeName) => new(Reaper.OwnedFolder(TempPrefix), nodeName, podmanSocket: null);

    /// <summary>An agent on a private store, not started yet; its data dir is in the store's folder and goes with it.</summary>
    public static DevAgent On(PrivatePodman store, string nodeName) => new(Path.Combine(store.AgentsDir, nodeName), nodeName, store.Socket);

    /// <summary>The same, with its log beside the data dir rather than in it: for a test that fills the data dir's disk.</summary>
    public static DevAgent WithLogBeside(PrivatePodman store, string nodeName) =>
        new(Path.Combine(store.AgentsDir, nodeName), nodeName, store.Socket, Path.Combine(store.AgentsDir, nodeName + "-log"));

    public async Task InitializeAsync()
    {
        await Reaper.ReapAbandoned(TempPrefix, async dir =>
        {
            await KillRecorded(dir);
            Directory.Delete(dir, recursive: true);
        });
        await StartAsync();
    }

    /// <summary>Starts the agent and waits until its node is up in GET /v1/nodes; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync()
    {
        Launch();
        return await Wait.Until(
            async () =>
            {
                if (_process!.HasExited)
                {
                    Assert.Fail($"sched agent {NodeName} exited with {_process.ExitCode} while starting:\n{IncarnationLog}");
                }

                return await NodeIsUp();
            },
            StartTimeout, $"sched agent {NodeName}: its node {StartedStatus}", () => Task.FromResult(IncarnationLog));
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
    public void Kill() => Reaper.Kill(_process);

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
    public Task<ProcessResult> Sched(params string[] args) => Processes.RunAsync(Repo.SchedBinary, args, CliEnvironment, TimeSpan.FromMinutes(3));

    public async Task<IReadOnlyList<JsonElement>> Jobs()
    {
        using var doc = await Get("/v1/jobs");
        return [.. doc.RootElement.EnumerateArray().Select(j => j.Clone())];
    }

    public async Task<JsonElement> Job(string id)
    {
        using var doc = await Get($"/v1/jobs/{id}");
        return doc.RootElement.Clone();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        return ValueTask.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>SIGKILL to the agent recorded in <paramref name="dataDir"/>, if it still runs on that data dir.</summary>
    public static Task KillRecorded(string dataDir) => Reaper.KillRecorded(Path.Combine(dataDir, PidFileName), $"--data-dir {dataDir}");

    /// <summary>The one place the tests' dev agents get their command line.</summary>
    private void Launch()
    {
        if (Running)
        {
            throw new InvalidOperationException($"sched agent {NodeName} already runs (pid {_process!.Id})");
        }

        _process?.Dispose();
        _incarnations++;
        File.AppendAllText(LogPath, $"===== {DateTime.Now:HH:mm:ss.fff} incarnation {_incarnations} of {NodeName}{Environment.NewLine}");
        var log = new CapturedOutput(LogPath);
        string[] args = ["agent", "--dev", "--node-name", NodeName, "--http", Address["http://".Length..], "--data-dir", DataDir];
        string[] command = [.. Launcher, Binary, .. args, .. _podmanSocket is null ? [] : new[] { "--podman-socket", _podmanSocket }, .. ExtraArgs];
        _process = Processes.Start(command[0], command[1..], log, workingDirectory: DataDir);
        File.WriteAllText(Path.Combine(DataDir, PidFileName), _process.Id.ToString(CultureInfo.InvariantCulture));
        _incarnationLog = log;
    }

    private async Task<JsonDocument> Get(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
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
            return doc.RootElement.EnumerateArray().Any(n => n.GetProperty("name").GetString() == NodeName && n.GetProperty("status").GetString() == StartedStatus);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }
}
