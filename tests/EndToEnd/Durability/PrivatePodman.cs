using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// A podman store and API service of their own, for the dev agents of the durability tests. An agent that starts
/// removes every running managed container its scheduler does not know: on the machine's shared store it would
/// remove the containers of the other end-to-end tests' agents (and theirs would remove ours). Images are built
/// into the store by <c>deploy/images/build.sh</c>. Containers, service and folder go when the tests are done; a
/// store left by a test run that was killed is taken down by the next one.
/// </summary>
public sealed class PrivatePodman : IAsyncLifetime
{
    private const string TempPrefix = "sched-dur-";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private Process? _service;

    /// <summary>Short: the API socket lives below it, and a unix socket path has at most 107 bytes.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory(TempPrefix).FullName;

    public string Socket => Path.Combine(Root, "r", "podman.sock");

    public string[] StoreArgs => StoreArgsOf(Root);

    /// <summary>Where the dev agents keep their data dirs: inside the store's folder, so they go with it.</summary>
    public string AgentsDir => Path.Combine(Root, "agents");

    public async Task InitializeAsync()
    {
        await ReapAbandoned();
        await File.WriteAllTextAsync(Path.Combine(Root, "owner"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(Root, "r"));
        Directory.CreateDirectory(AgentsDir);
        var log = new CapturedOutput(Path.Combine(Root, "podman.log"));
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in StoreArgs.Concat(["system", "service", "--time=0", $"unix://{Socket}"]))
        {
            info.ArgumentList.Add(arg);
        }

        _service = Process.Start(info)!;
        _service.OutputDataReceived += (_, e) => log.Append(e.Data);
        _service.ErrorDataReceived += (_, e) => log.Append(e.Data);
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
        await File.WriteAllTextAsync(Path.Combine(Root, "service.pid"), _service.Id.ToString(CultureInfo.InvariantCulture));
        await Wait.Until(async () => _service.HasExited || await Answers(), TimeSpan.FromSeconds(60), $"podman API on {Socket}", () => Task.FromResult(log.ToString()));
        if (_service.HasExited)
        {
            Assert.Fail($"podman system service exited with {_service.ExitCode}:\n{log}");
        }

        var build = await Processes.RunAsync(Path.Combine(Processes.RepoRoot(), "deploy", "images", "build.sh"), StoreArgs, timeout: CommandTimeout);
        Assert.True(build.ExitCode == 0, $"deploy/images/build.sh: {build}");
    }

    public Task<ProcessResult> Podman(params string[] args) => Processes.RunAsync("podman", [.. StoreArgs, .. args], timeout: CommandTimeout);

    /// <summary>Every container of the job in this store (any state), read with podman inspect.</summary>
    public async Task<IReadOnlyList<Failures.StoreContainer>> ContainersOfJob(string jobId)
    {
        var ids = await Podman("ps", "-a", "--filter", $"label=sched.job={jobId}", "--format", "{{.ID}}");
        Assert.True(ids.ExitCode == 0, ids.ToString());
        var list = ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
        {
            return [];
        }

        var inspect = await Podman(["inspect", .. list]);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(inspect.Stdout);
        return [.. doc.RootElement.EnumerateArray().Select(c => Failures.StoreContainer.From("dev", c))];
    }

    /// <summary>Where the agents' logs of the last test run are kept once the store is gone.</summary>
    public static string KeptLogs => Path.Combine(Path.GetTempPath(), "sched-durability-logs");

    public async Task DisposeAsync()
    {
        if (Directory.Exists(KeptLogs))
        {
            Directory.Delete(KeptLogs, recursive: true);
        }

        Directory.CreateDirectory(KeptLogs);
        foreach (var log in Directory.EnumerateFiles(AgentsDir, "agent.log", SearchOption.AllDirectories))
        {
            File.Copy(log, Path.Combine(KeptLogs, $"{Path.GetFileName(Path.GetDirectoryName(log))}.log"), overwrite: true);
        }

        await TakeDown(Root, _service?.Id);
        _service?.Dispose();
    }

    private async Task<bool> Answers()
    {
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            })
            { Timeout = TimeSpan.FromSeconds(3) };
            return (await client.GetAsync(new Uri("http://d/_ping"))).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return false;
        }
    }

    private static string[] StoreArgsOf(string root) =>
        ["--root", Path.Combine(root, "s"), "--runroot", Path.Combine(root, "r"), "--tmpdir", Path.Combine(root, "r", "libpod")];

    /// <summary>Agents of the folder, its containers, then its podman service (only the pid recorded there, if it is that service), its mounts, the folder.</summary>
    private static async Task TakeDown(string root, int? servicePid)
    {
        foreach (var pidFile in Directory.Exists(Path.Combine(root, "agents")) ? Directory.EnumerateFiles(Path.Combine(root, "agents"), "agent.pid", SearchOption.AllDirectories) : [])
        {
            if (int.TryParse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture, out var pid) && CommandLine(pid).Contains($"--data-dir {Path.GetDirectoryName(pidFile)}", StringComparison.Ordinal))
            {
                await Processes.RunAsync("kill", ["-KILL", $"{pid}"]);
            }
        }

        await Processes.RunAsync("podman", [.. StoreArgsOf(root), "rm", "-af", "-t", "0"], timeout: CommandTimeout);
        servicePid ??= int.TryParse(File.Exists(Path.Combine(root, "service.pid")) ? await File.ReadAllTextAsync(Path.Combine(root, "service.pid")) : "", CultureInfo.InvariantCulture, out var recorded) ? recorded : null;
        if (servicePid is { } service && CommandLine(service).EndsWith($"unix://{Path.Combine(root, "r", "podman.sock")}", StringComparison.Ordinal))
        {
            await Processes.RunAsync("kill", ["-TERM", $"{service}"]);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (Directory.Exists($"/proc/{service}") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            await Processes.RunAsync("kill", ["-KILL", $"{service}"]);
        }

        // podman leaves private bind mounts of its storage (overlay, shm): unmount them, deepest first.
        var mounts = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Where(f => f.Length > 4 && f[4].StartsWith(root + "/", StringComparison.Ordinal))
            .Select(f => f[4]).OrderByDescending(m => m.Length).ToList();
        foreach (var mount in mounts)
        {
            if ((await Processes.RunAsync("umount", [mount])).ExitCode != 0)
            {
                await Processes.RunAsync("umount", ["-l", mount]);
            }
        }

        Directory.Delete(root, recursive: true);
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stores of test runs whose process is gone (killed, so no cleanup ran) are taken down first.</summary>
    private static async Task ReapAbandoned()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), TempPrefix + "*"))
        {
            var owner = Path.Combine(dir, "owner");
            if (File.Exists(owner) && int.TryParse(await File.ReadAllTextAsync(owner), CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                await TakeDown(dir, null);
            }
        }
    }
}
