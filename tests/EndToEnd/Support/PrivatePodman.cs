using System.Diagnostics;
using System.Globalization;

namespace Sched.EndToEnd.Support;

/// <summary>
/// A podman store and API service of their own, for the dev agents of the durability tests. An agent that starts
/// removes every running managed container its scheduler does not know: on the machine's shared store it would
/// remove the containers of the other end-to-end tests' agents (and theirs would remove ours). Images are built
/// into the store by <c>deploy/images/build.sh</c>. Agents, containers, service and folder go when the tests are
/// done; a store left by a test run that was killed is taken down by the next one.
/// </summary>
public sealed class PrivatePodman : IAsyncLifetime
{
    private const string TempPrefix = "sched-dur-";
    private const string ServicePidFile = "service.pid";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private readonly IReadOnlyDictionary<string, string>? _serviceEnvironment;
    private readonly bool _buildImages;
    private Process? _service;

    public PrivatePodman()
        : this(null, buildImages: true)
    {
    }

    private PrivatePodman(IReadOnlyDictionary<string, string>? serviceEnvironment, bool buildImages)
    {
        _serviceEnvironment = serviceEnvironment;
        _buildImages = buildImages;
        Store = new PodmanStore("dev", StoreArgsOf(Root), Socket);
    }

    /// <summary>A store with no image, whose podman service runs with these environment variables (CONTAINERS_REGISTRIES_CONF, say).</summary>
    public static PrivatePodman Empty(IReadOnlyDictionary<string, string> serviceEnvironment) => new(serviceEnvironment, buildImages: false);

    /// <summary>Short: the API socket lives below it, and a unix socket path has at most 107 bytes.</summary>
    public string Root { get; } = Reaper.OwnedFolder(TempPrefix);

    public string Socket => SocketOf(Root);

    public PodmanStore Store { get; }

    /// <summary>Where the dev agents keep their data dirs: inside the store's folder, so they go with it.</summary>
    public string AgentsDir => AgentsDirOf(Root);

    /// <summary>Where the agents' logs of the last test run are kept once the store is gone.</summary>
    public static string KeptLogs => Path.Combine(Path.GetTempPath(), "sched-durability-logs");

    public async Task InitializeAsync()
    {
        await Reaper.ReapAbandoned(TempPrefix, TakeDown);
        Directory.CreateDirectory(Path.GetDirectoryName(Socket)!);
        Directory.CreateDirectory(AgentsDir);
        var log = new CapturedOutput(Path.Combine(Root, "podman.log"));
        _service = Processes.Start("podman", [.. Store.StoreArgs, "system", "service", "--time=0", $"unix://{Socket}"], log, _serviceEnvironment);
        await File.WriteAllTextAsync(Path.Combine(Root, ServicePidFile), _service.Id.ToString(CultureInfo.InvariantCulture));
        await Wait.Until(async () => _service.HasExited || await Store.Answers(), TimeSpan.FromSeconds(60), $"podman API on {Socket}", () => Task.FromResult(log.ToString()));
        if (_service.HasExited)
        {
            Assert.Fail($"podman system service exited with {_service.ExitCode}:\n{log}");
        }

        if (!_buildImages)
        {
            return;
        }

        var build = await Processes.RunAsync(Repo.PathOf("deploy", "images", "build.sh"), Store.StoreArgs, timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, $"deploy/images/build.sh: {build}");
    }

    public Task<ProcessResult> Podman(params string[] args) => Store.Podman(args);

    /// <summary>Every container of the job in this store (any state), read with podman inspect.</summary>
    public Task<IReadOnlyList<StoreContainer>> ContainersOfJob(string jobId) => Store.ContainersOfJob(jobId);

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

        await TakeDown(Root);
        _service?.Dispose();
        Store.Dispose();
    }

    private static string SocketOf(string root) => Path.Combine(root, "r", "podman.sock");

    private static string AgentsDirOf(string root) => Path.Combine(root, "agents");

    private static string[] StoreArgsOf(string root) => PodmanStore.ArgsOf(Path.Combine(root, "s"), Path.Combine(root, "r"));

    /// <summary>The folder's agents, its containers, then its podman service, its mounts, the folder.</summary>
    private static async Task TakeDown(string root)
    {
        foreach (var agent in Directory.Exists(AgentsDirOf(root)) ? Directory.EnumerateDirectories(AgentsDirOf(root)) : [])
        {
            await DevAgent.KillRecorded(agent);
        }

        await Processes.RunAsync("podman", [.. StoreArgsOf(root), "rm", "-af", "-t", "0"], timeout: BuildTimeout);
        await Reaper.TerminateRecorded(Path.Combine(root, ServicePidFile), $"unix://{SocketOf(root)}", TimeSpan.FromSeconds(15));
        await Reaper.UnmountBelow(root);
        Directory.Delete(root, recursive: true);
    }
}
