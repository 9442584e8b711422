using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sched.EndToEnd;

/// <summary>
/// A real cluster on this machine, run by <c>deploy/local-cluster.sh</c> as a person would: node1..node3, each with its
/// own podman store and API service and its own `sched agent` process, joined on loopback; node1 is the seed and
/// the scheduler. Everything it uses is private to this fixture: state and stores under a fresh temp folder, a block
/// of free ports (so it never meets the demo agent on 4080, a /var/lib/sched-local cluster, the dev-agent tests
/// or another test run), and an environment without the caller's SCHED_* variables. Started once for a test
/// collection; <c>down --purge</c> when the collection is done, whatever the tests did. The agents' logs of the
/// last run are kept in <see cref="KeptLogs"/>.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const int InitialNodes = 3;

    /// <summary>Nodes are node1..node9: node K listens on BasePort + K, and BasePort itself is the HTTP API.</summary>
    public const int MaxNodes = 9;

    private const string TempPrefix = "sched-e2e-cluster-";

    /// <summary>Generous: on a loaded 2-core machine podman's /info has been seen to take over 10 s for minutes on end.</summary>
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);
    private readonly string _root = Directory.CreateTempSubdirectory(TempPrefix).FullName;
    private int _downStarted;
    private TimeSpan _upTook;

    public LocalCluster()
    {
        BasePort = FreePortBlock(MaxNodes + 1);
    }

    /// <summary>SCHED_LOCAL_BASE_PORT; also the HTTP port, as no node uses it.</summary>
    public int BasePort { get; }

    public int HttpPort => BasePort;

    public string Address => $"http://127.0.0.1:{HttpPort}";

    public string DataDir => Path.Combine(_root, "data");

    public string RunDir => Path.Combine(_root, "run");

    /// <summary>The API token file local-cluster.sh makes and gives every agent (--token-file).</summary>
    public string TokenFile => Path.Combine(DataDir, "api-token");

    public static string ScriptPath => Path.Combine(Processes.RepoRoot(), "deploy", "local-cluster.sh");

    /// <summary>Where the agents' and podman services' logs of the last cluster are copied before it is purged.</summary>
    public static string KeptLogs => Path.Combine(Path.GetTempPath(), "sched-e2e-last-cluster-logs");

    public static IReadOnlyList<string> InitialNodeNames { get; } = [.. Enumerable.Range(1, InitialNodes).Select(i => $"node{i}")];

    /// <summary>The log of node1's agent, which hosts the scheduler: placement lines are written here.</summary>
    public string Node1Log => AgentLog("node1");

    public string AgentLog(string node) => Path.Combine(DataDir, node, "agent.log");

    /// <summary>Every node the script has created so far (node1..node3, and any added by <see cref="Start"/>).</summary>
    public IReadOnlyList<string> Nodes =>
        [.. Directory.EnumerateDirectories(DataDir, "node*").Select(Path.GetFileName).OfType<string>()
            .OrderBy(n => int.Parse(n["node".Length..], CultureInfo.InvariantCulture))];

    public IDictionary<string, string> ScriptEnvironment => new Dictionary<string, string>
    {
        ["SCHED_BIN"] = Processes.SchedBinary(),
        ["SCHED_LOCAL_DIR"] = DataDir,
        ["SCHED_LOCAL_RUN"] = RunDir,
        ["SCHED_LOCAL_BASE_PORT"] = BasePort.ToString(CultureInfo.InvariantCulture),
        ["SCHED_LOCAL_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
        ["SCHED_LOCAL_WAIT_SECONDS"] = "300",
        ["SCHED_ADDR"] = Address,
    };

    public async Task InitializeAsync()
    {
        await ReapAbandonedClusters();
        await File.WriteAllTextAsync(Path.Combine(_root, "owner"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllLinesAsync(Path.Combine(_root, "cluster.env"), ScriptEnvironment.Select(kv => $"{kv.Key}={kv.Value}"));
        AppDomain.CurrentDomain.ProcessExit += DownOnExit;
        var clock = Stopwatch.StartNew();
        var up = await Script("up", $"{InitialNodes}");
        _upTook = clock.Elapsed;
        if (up.ExitCode != 0)
        {
            var logs = string.Join("\n", InitialNodeNames.Select(n => $"--- {n}\n{Tail(AgentLog(n))}"));
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
        var problems = await Down(keepLogs: true);
        if (problems is not null)
        {
            throw new InvalidOperationException($"local-cluster.sh down --purge failed; {_root} is left as it is:\n{problems}");
        }
    }

    /// <summary>Runs <c>deploy/local-cluster.sh ARGS</c> against this cluster.</summary>
    public Task<ProcessResult> Script(params string[] args) =>
        Processes.RunAsync(ScriptPath, args, ScriptEnvironment, ScriptTimeout, Inherited(ScriptEnvironment));

    /// <summary>Runs the sched CLI against this cluster's HTTP API.</summary>
    public Task<ProcessResult> Sched(params string[] args)
    {
        var env = new Dictionary<string, string> { ["SCHED_ADDR"] = Address, ["SCHED_TOKEN_FILE"] = TokenFile };
        return Processes.RunAsync(Processes.SchedBinary(), args, env, ScriptTimeout, Inherited(env));
    }

    /// <summary>Runs podman against one node's own store (<c>local-cluster.sh podman NODE ARGS</c>).</summary>
    public Task<ProcessResult> Podman(string node, params string[] args) => Script(["podman", node, .. args]);

    /// <summary>A podman runner on one node's store, for <see cref="PodmanStore"/>.</summary>
    public Func<string[], Task<ProcessResult>> PodmanOf(string node) => args => Podman(node, args);

    /// <summary>The job's containers as the node's own podman store lists them.</summary>
    public Task<IReadOnlyList<PodmanContainer>> ContainersOfJob(string node, string jobId) => PodmanStore.ContainersOfJob(jobId, PodmanOf(node));

    /// <summary>Starts (or adds) a node with these agent flags and waits until sched lists it as up.</summary>
    public Task Start(string node, params string[] agentFlags) => Must(["start", node, .. agentFlags]);

    /// <summary>SIGTERM to the node's agent; its podman service keeps running.</summary>
    public Task Stop(string node) => Must("stop", node);

    /// <summary>SIGKILL to the node's agent and podman service (a power loss); with containers, its containers too.</summary>
    public Task Kill(string node, bool containers = false) => Must(containers ? ["kill", node, "--containers"] : ["kill", node]);

    private async Task Must(params string[] args)
    {
        var result = await Script(args);
        Assert.True(result.ExitCode == 0, $"local-cluster.sh {string.Join(' ', args)}: {result}");
    }

    /// <summary>
    /// The caller's SCHED_* variables would change the agents (SCHED_RESERVE_CPUS, ...) and the CLI, and JOURNAL_STREAM
    /// would make the agents log JSON: the children get only what this fixture sets.
    /// </summary>
    private static string[] Inherited(IDictionary<string, string> set) =>
        [.. Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("SCHED_", StringComparison.Ordinal) || k == "JOURNAL_STREAM") && !set.ContainsKey(k))];

    /// <summary>Returns null when the cluster is gone, else what went wrong.</summary>
    private async Task<string?> Down(bool keepLogs)
    {
        string? problems = null;
        try
        {
            if (keepLogs)
            {
                // Stop first so the kept agent logs include the shutdown; the podman logs go with the run folder.
                if (Directory.Exists(KeptLogs))
                {
                    Directory.Delete(KeptLogs, recursive: true);
                }

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
            if (purge.ExitCode != 0)
            {
                return $"{problems}\ndown --purge: {purge}";
            }
        }
        catch (Exception e)
        {
            return $"{problems}\n{e}";
        }

        Directory.Delete(_root, recursive: true);
        return problems;
    }

    private void DownOnExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _downStarted, 1) == 0)
        {
            Down(keepLogs: false).GetAwaiter().GetResult();
        }
    }

    private static void CopyLogs(string pattern, string from)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        Directory.CreateDirectory(KeptLogs);
        foreach (var node in Directory.EnumerateDirectories(from, "node*"))
        {
            foreach (var log in Directory.EnumerateFiles(node, pattern))
            {
                File.Copy(log, Path.Combine(KeptLogs, $"{Path.GetFileName(node)}-{Path.GetFileName(log)}"), overwrite: true);
            }
        }
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join("\n", File.ReadLines(path).Where(l => !l.StartsWith("   at ", StringComparison.Ordinal)).TakeLast(30)) : "(no log)";

    /// <summary>
    /// A test run that was killed leaves its agents and podman services running: clusters whose owning process is gone
    /// are taken down before a new one starts, so they do not load the machine or hold its ports.
    /// </summary>
    private static async Task ReapAbandonedClusters()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), TempPrefix + "*"))
        {
            var owner = Path.Combine(dir, "owner");
            var envFile = Path.Combine(dir, "cluster.env");
            if (!File.Exists(owner) || !File.Exists(envFile)
                || !int.TryParse(await File.ReadAllTextAsync(owner), CultureInfo.InvariantCulture, out var pid) || Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            var env = (await File.ReadAllLinesAsync(envFile)).Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            var down = await Processes.RunAsync(ScriptPath, ["down", "--purge"], env, ScriptTimeout, Inherited(env));
            if (down.ExitCode == 0)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>A random block of ports on loopback, all free now, away from the demo's 4053/4080 and the ephemeral range.</summary>
    private static int FreePortBlock(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(2_000, 3_200) * 10;
            if (Enumerable.Range(start, count).All(IsFree))
            {
                return start;
            }
        }

        throw new InvalidOperationException($"no block of {count} free ports found between 20000 and 32000");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "local cluster";
}
