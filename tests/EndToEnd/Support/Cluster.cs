using System.Diagnostics;
using System.Globalization;

namespace Sched.EndToEnd.Support;

/// <summary>
/// A real cluster on this machine, run by <c>deploy/local-cluster.sh</c> as a person would: node1..node3, each with its
/// own podman store and API service and its own `sched agent` process, joined on loopback; node1 is the seed and
/// the scheduler. Everything it uses is private to this fixture: state and stores under a fresh temp folder, a block
/// of free ports (so it never meets the demo agent on 4080, a /var/lib/sched-local cluster, the dev agents or another
/// test run), and an environment without the caller's SCHED_* variables. Started once for the tests that share it;
/// <c>down --purge</c> when they are done, whatever they did, and the logs kept in <see cref="KeptLogs"/>. A cluster
/// left by a test run that was killed is taken down by the next one. A subclass changes how its agents run through
/// <see cref="AgentFlags"/>, <see cref="AgentBinary"/>, <see cref="BeforeUp"/> and <see cref="AfterDown"/>.
/// </summary>
public partial class Cluster : IAsyncLifetime
{
    public const int InitialNodes = 3;

    /// <summary>Nodes are node1..node9: node K listens on BasePort + K, and BasePort itself is the HTTP API.</summary>
    public const int MaxNodes = 9;

    private const string TempPrefix = "sched-e2e-cluster-";
    private const string EnvFile = "cluster.env";

    /// <summary>Generous: on a loaded 2-core machine podman's /info has been seen to take over 10 s for minutes on end.</summary>
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);
    private static readonly Lazy<bool> ClearedKeptLogs = new(ClearKeptLogs);
    private static int s_started;
    private readonly int _number = Interlocked.Increment(ref s_started);
    private int _downStarted;
    private TimeSpan _upTook;

    /// <summary>Short paths: podman puts sockets below the run folder, and a unix socket path has at most 107 bytes.</summary>
    public string Root { get; } = Reaper.OwnedFolder(TempPrefix);

    /// <summary>SCHED_LOCAL_BASE_PORT; also the HTTP port, as no node uses it.</summary>
    public int BasePort { get; } = Ports.FreeBlock(MaxNodes + 1);

    public int HttpPort => BasePort;

    public string Address => $"http://127.0.0.1:{HttpPort}";

    public string DataDir => Path.Combine(Root, "d");

    /// <summary>The one host directory this cluster's agents let shards bind-mount (SCHED_ALLOW_HOST_PATHS).</summary>
    public string HostData => Path.Combine(Root, "h");

    public string RunDir => Path.Combine(Root, "r");

    /// <summary>The API token file local-cluster.sh makes and gives every agent (--token-file).</summary>
    public string TokenFile => Path.Combine(DataDir, "api-token");

    public static string ScriptPath => Repo.PathOf("deploy", "local-cluster.sh");

    public static IReadOnlyList<string> InitialNodeNames { get; } = [.. Enumerable.Range(1, InitialNodes).Select(i => $"node{i}")];

    /// <summary>Where the agents' and podman services' logs of this cluster are copied before it is purged (those of the last test run).</summary>
    public string KeptLogs => Path.Combine(KeptLogsRoot, $"{_number}-{GetType().Name}");

    private static string KeptLogsRoot => Path.Combine(Path.GetTempPath(), "sched-e2e-kept-cluster-logs");

    public IReadOnlyDictionary<string, string> ScriptEnvironment => new Dictionary<string, string>
    {
        ["SCHED_BIN"] = AgentBinary,
        ["SCHED_LOCAL_DIR"] = DataDir,
        ["SCHED_LOCAL_RUN"] = RunDir,
        ["SCHED_LOCAL_BASE_PORT"] = BasePort.ToString(CultureInfo.InvariantCulture),
        ["SCHED_LOCAL_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
        ["SCHED_LOCAL_WAIT_SECONDS"] = "300",
        ["SCHED_ALLOW_HOST_PATHS"] = HostData,
        ["SCHED_ADDR"] = Address,
    };

    /// <summary>The sched the agents run: the build output, or a wrapper (see <c>PartitionCluster</c>).</summary>
    protected virtual string AgentBinary => Repo.SchedBinary;

    public async Task InitializeAsync()
    {
        await Reaper.ReapAbandoned(TempPrefix, TakeDownAbandoned);
        await File.WriteAllLinesAsync(Path.Combine(Root, EnvFile), ScriptEnvironment.Select(kv => $"{kv.Key}={kv.Value}"));
        AppDomain.CurrentDomain.ProcessExit += DownOnExit;
        await BeforeUp();
        var clock = Stopwatch.StartNew();
        var up = await Up();
        _upTook = clock.Elapsed;
        if (up.ExitCode != 0)
        {
            var logs = string.Join("\n", InitialNodeNames.Select(n => $"--- {n}\n{LogTail(n, 30)}"));
            var cleanup = "";
            try
            {
                await DisposeAsync();
            }
            catch (InvalidOperationException e)
            {
                cleanup = $"\nand then: {e.Message}";
            }

            throw new InvalidOperationException($"local-cluster.sh up {InitialNodes} failed (logs kept in {KeptLogs}):\n{up}\n{logs}{cleanup}");
        }
    }

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _downStarted, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= DownOnExit;
        DisposeClients();
        var problems = await Down(keepLogs: true);
        if (problems is not null)
        {
            throw new InvalidOperationException($"local-cluster.sh down --purge failed; {Root} is left as it is:\n{problems}");
        }
    }

    /// <summary>
    /// The flags this fixture gives a node's agent besides those local-cluster.sh gives every agent (node name, host,
    /// port, seed, roles, HTTP, podman socket, data dir, token file): the one place where the tests choose how their
    /// cluster agents run. Every start of an agent by this fixture passes them; the script remembers them for `up`.
    /// </summary>
    protected virtual IReadOnlyList<string> AgentFlags(string node) => [];

    /// <summary>What a subclass prepares before the agents start (a network) and removes after they are gone.</summary>
    protected virtual Task BeforeUp() => Task.CompletedTask;

    protected virtual Task AfterDown() => Task.CompletedTask;

    /// <summary>Starts (or adds) a node with its <see cref="AgentFlags"/> and these, and waits until sched lists it as up.</summary>
    public Task Start(string node, params string[] flags) => Must(["start", node, .. AgentFlags(node), .. flags]);

    /// <summary>Starts whatever of node1..node3 is not running (agent, podman service) and waits until all are up.</summary>
    public Task EnsureUp() => Must("up", $"{InitialNodes}");

    /// <summary>SIGTERM to the node's agent; its podman service keeps running.</summary>
    public Task Stop(string node) => Must("stop", node);

    /// <summary>A signal (KILL, STOP, CONT, TERM) to the node's agent alone: its containers, guard and podman service stay.</summary>
    public Task Signal(string node, string signal) => Must("signal", node, signal);

    /// <summary>SIGKILL to the node's agent, guard and podman service (a power loss); with containers, its containers too.</summary>
    public Task Kill(string node, bool containers = false) => Must(containers ? ["kill", node, "--containers"] : ["kill", node]);

    /// <summary>SIGKILL to the node's agent alone (a crash): its podman service and containers keep running.</summary>
    public async Task KillAgent(string node)
    {
        var pid = Reaper.RecordedPid(Path.Combine(DataDir, node, "agent.pid"), $"--node-name {node}");
        Assert.True(pid is not null, $"no agent of {node} runs");
        await Processes.Must("kill", "-KILL", $"{pid}");
        await Wait.Until(() => !Reaper.IsRunning(pid.Value) || Reaper.CommandLine(pid.Value).Length == 0, TimeSpan.FromSeconds(30), $"{node}'s agent exits");
    }

    /// <summary>
    /// node1 (the seed: `start` waits until it is up) and then every node with flags of its own are started one by
    /// one, so the script remembers their flags; `up` starts the others together and waits until all are up.
    /// </summary>
    private async Task<ProcessResult> Up()
    {
        var own = InitialNodeNames.Where(n => AgentFlags(n).Count > 0).ToList();
        var oneByOne = own.Count == 0 ? own : [.. InitialNodeNames.Where(n => n == "node1" || own.Contains(n))];
        foreach (var node in oneByOne)
        {
            var start = await Script(["start", node, .. AgentFlags(node)]);
            if (start.ExitCode != 0)
            {
                return start;
            }
        }

        return await Script("up", $"{InitialNodes}");
    }

    private Task<ProcessResult> Script(params string[] args) => Processes.RunAsync(ScriptPath, args, ScriptEnvironment, ScriptTimeout);

    private async Task Must(params string[] args)
    {
        var result = await Script(args);
        Assert.True(result.ExitCode == 0, $"local-cluster.sh {string.Join(' ', args)}: {result}");
    }

    /// <summary>Returns null when the cluster is gone, else what went wrong.</summary>
    private async Task<string?> Down(bool keepLogs)
    {
        string? problems = null;
        try
        {
            if (keepLogs)
            {
                // Stop first so the kept agent logs include the shutdown; the podman logs go with the run folder.
                _ = ClearedKeptLogs.Value;
                CopyLogs("podman.log", RunDir);
                var clock = Stopwatch.StartNew();
                var down = await Script("down");
                problems = down.ExitCode == 0 ? null : $"down: {down}";
                CopyLogs("agent.log*", DataDir);
                await File.WriteAllTextAsync(
                    Path.Combine(KeptLogs, "timings.txt"),
                    $"up {InitialNodes}: {_upTook.TotalSeconds:0.0}s\ndown: {clock.Elapsed.TotalSeconds:0.0}s\n{down}\n");
            }

            var purge = await Script("down", "--purge");
            await AfterDown();
            if (purge.ExitCode != 0)
            {
                return $"{problems}\ndown --purge: {purge}";
            }
        }
        catch (Exception e)
        {
            return $"{problems}\n{e}";
        }

        Directory.Delete(Root, recursive: true);
        return problems;
    }

    private void DownOnExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _downStarted, 1) == 0)
        {
            Down(keepLogs: false).GetAwaiter().GetResult();
        }
    }

    private void CopyLogs(string pattern, string from)
    {
        Directory.CreateDirectory(KeptLogs);
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var node in Directory.EnumerateDirectories(from, "node*"))
        {
            foreach (var log in Directory.EnumerateFiles(node, pattern))
            {
                File.Copy(log, Path.Combine(KeptLogs, $"{Path.GetFileName(node)}-{Path.GetFileName(log)}"), overwrite: true);
            }
        }
    }

    /// <summary>The kept logs are those of this test run's clusters: the first cluster to keep its logs removes older ones.</summary>
    private static bool ClearKeptLogs()
    {
        if (Directory.Exists(KeptLogsRoot))
        {
            Directory.Delete(KeptLogsRoot, recursive: true);
        }

        return true;
    }

    /// <summary>A cluster (and its test network) of a test run whose process is gone: its agents and podman services would load the machine and hold its ports.</summary>
    private static async Task TakeDownAbandoned(string dir)
    {
        var envFile = Path.Combine(dir, EnvFile);
        if (File.Exists(envFile))
        {
            var env = (await File.ReadAllLinesAsync(envFile)).Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            var down = await Processes.RunAsync(ScriptPath, ["down", "--purge"], env, ScriptTimeout);
            await PartitionNetwork.RemoveRecorded(dir);
            if (down.ExitCode != 0)
            {
                return;
            }
        }

        Directory.Delete(dir, recursive: true);
    }
}
