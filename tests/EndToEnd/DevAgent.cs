using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sched.EndToEnd;

/// <summary>A real `sched agent --dev` process on loopback, on the machine's podman socket, for the tests of one class.</summary>
public sealed class DevAgent : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("sched-e2e-").FullName;
    private Process? _process;

    public string NodeName { get; } = "e2e-node";

    public string Address { get; } = $"http://127.0.0.1:{FreePort()}";

    public CapturedOutput Log { get; private set; } = new("/dev/null");

    public string DataDir => _dataDir;

    /// <summary>The API token file the agent generates in its data dir on start.</summary>
    public string TokenFile => Path.Combine(_dataDir, "api-token");

    public string Token => File.Exists(TokenFile) ? File.ReadAllText(TokenFile).Trim() : "";

    /// <summary>The CLI's environment as a person sets it on another machine: the address and the token.</summary>
    public IDictionary<string, string> CliEnvironment => new Dictionary<string, string> { ["SCHED_ADDR"] = Address, ["SCHED_TOKEN"] = Token };

    public async Task InitializeAsync()
    {
        Log = new CapturedOutput(Path.Combine(_dataDir, "agent.log"));
        var info = new ProcessStartInfo(Processes.SchedBinary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dataDir,
        };
        foreach (var arg in new[] { "agent", "--dev", "--node-name", NodeName, "--http", Address["http://".Length..], "--data-dir", _dataDir })
        {
            info.ArgumentList.Add(arg);
        }

        if (TestPodman.Socket is { } socket)
        {
            info.ArgumentList.Add("--podman-socket");
            info.ArgumentList.Add(socket);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Log.Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Log.Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForNodeUp();
    }

    public Task<ProcessResult> Sched(params string[] args) =>
        Processes.RunAsync(Processes.SchedBinary(), args, CliEnvironment);

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task WaitForNodeUp()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"sched agent exited with {_process.ExitCode}:\n{Log}");
            }

            var nodes = await Sched("nodes");
            if (nodes.ExitCode == 0 && nodes.Stdout.Contains($"{NodeName}  up", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the dev agent's node did not come up within 60 s:\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
