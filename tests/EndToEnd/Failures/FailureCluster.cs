using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Sched.EndToEnd.Failures;

/// <summary>
/// A three-node cluster of real agents, each with its own podman store and API service, run by
/// <c>deploy/local-cluster.sh</c> in a private temp folder on free ports, for tests that break things: kill nodes,
/// stop agents, stop podman sockets, cut the network. <c>down --purge</c> at the end, whatever happened; a cluster
/// left by a test run that was killed is taken down by the next one.
/// </summary>
public class FailureCluster : IAsyncLifetime
{
    public const int Nodes = 3;
    private const string TempPrefix = "sched-failures-";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);
    private int _down;
    private HttpClient? _http;

    public FailureCluster()
    {
        Root = Directory.CreateTempSubdirectory(TempPrefix).FullName;
        (BasePort, HttpPort) = FreePorts();
    }

    /// <summary>Short paths: podman puts sockets below the run folder, and a unix socket path has at most 107 bytes.</summary>
    public string Root { get; }

    public string DataDir => Path.Combine(Root, "d");

    public string RunDir => Path.Combine(Root, "r");

    /// <summary>The API token file local-cluster.sh makes and gives every agent (--token-file).</summary>
    public string TokenFile => Path.Combine(DataDir, "api-token");

    /// <summary>A client that sends this cluster's API token.</summary>
    public HttpClient Http => _http ??= new HttpClient(new BearerTokenHandler(TokenFile)) { Timeout = TimeSpan.FromSeconds(60) };

    public int BasePort { get; }

    public int HttpPort { get; }

    public string Address => $"http://127.0.0.1:{HttpPort}";

    public static IReadOnlyList<string> NodeNames { get; } = [.. Enumerable.Range(1, Nodes).Select(i => $"node{i}")];

    public static string ScriptPath => Path.Combine(Commands.RepoRoot(), "deploy", "local-cluster.sh");

    /// <summary>The sched the agents run: the build output, or a wrapper (see <see cref="PartitionCluster"/>).</summary>
    protected virtual string AgentBinary => Processes.SchedBinary();

    public IReadOnlyDictionary<string, string> ScriptEnvironment => new Dictionary<string, string>
    {
        ["SCHED_BIN"] = AgentBinary,
        ["SCHED_LOCAL_DIR"] = DataDir,
        ["SCHED_LOCAL_RUN"] = RunDir,
        ["SCHED_LOCAL_BASE_PORT"] = BasePort.ToString(CultureInfo.InvariantCulture),
        ["SCHED_LOCAL_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
        ["SCHED_LOCAL_WAIT_SECONDS"] = "180",
    };

    public string AgentLog(string node) => Path.Combine(DataDir, node, "agent.log");

    public string Socket(string node) => Path.Combine(RunDir, node, "podman.sock");

    public virtual async Task InitializeAsync()
    {
        await ReapAbandoned();
        await File.WriteAllTextAsync(Path.Combine(Root, "owner"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllLinesAsync(Path.Combine(Root, "cluster.env"), ScriptEnvironment.Select(kv => $"{kv.Key}={kv.Value}"));
        AppDomain.CurrentDomain.ProcessExit += DownOnExit;
        await BeforeUp();
        var up = await Script("up", $"{Nodes}");
        if (up.ExitCode != 0)
        {
            var logs = string.Join("\n", NodeNames.Select(n => $"--- {n}\n{LogTail(n)}"));
            await DisposeAsync();
            throw new InvalidOperationException($"local-cluster.sh up failed:\n{up}\n{logs}");
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _down, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= DownOnExit;
        KeepLogs();
        _http?.Dispose();
        var down = await Script("down", "--purge");
        await AfterDown();
        if (down.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-cluster.sh down --purge failed; {Root} is left:\n{down}");
        }

        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Where the agents' logs of the last cluster of this class are kept, for a post-mortem.</summary>
    public string KeptLogs => Path.Combine(Path.GetTempPath(), "sched-failures-logs", GetType().Name);

    private void KeepLogs()
    {
        if (Directory.Exists(KeptLogs))
        {
            Directory.Delete(KeptLogs, recursive: true);
        }

        Directory.CreateDirectory(KeptLogs);
        foreach (var node in NodeNames.Where(n => Directory.Exists(Path.Combine(DataDir, n))))
        {
            foreach (var log in Directory.EnumerateFiles(Path.Combine(DataDir, node), "agent.log*"))
            {
                File.Copy(log, Path.Combine(KeptLogs, $"{node}-{Path.GetFileName(log)}"), overwrite: true);
            }
        }
    }

    /// <summary>What a subclass prepares before the agents start (a network) and removes after they are gone.</summary>
    protected virtual Task BeforeUp() => Task.CompletedTask;

    protected virtual Task AfterDown() => Task.CompletedTask;

    public Task<ProcessResult> Script(params string[] args) => Commands.Run(ScriptPath, args, ScriptEnvironment, ScriptTimeout);

    public async Task MustScript(params string[] args)
    {
        var result = await Script(args);
        Assert.True(result.ExitCode == 0, $"local-cluster.sh {string.Join(' ', args)}: {result}");
    }

    /// <summary>Starts whatever of node1..node3 is not running (agent, podman service) and waits until all are up.</summary>
    public Task EnsureUp() => MustScript("up", $"{Nodes}");

    /// <summary>The sched CLI against this cluster, as a person runs it.</summary>
    public Task<ProcessResult> Sched(params string[] args) =>
        Commands.Run(Processes.SchedBinary(), args, new Dictionary<string, string> { ["SCHED_ADDR"] = Address, ["SCHED_TOKEN_FILE"] = TokenFile }, ScriptTimeout);

    /// <summary>podman on one node's own store, as local-cluster.sh runs it (without the script, to be quick).</summary>
    public Task<ProcessResult> Podman(string node, params string[] args) =>
        Commands.Run("podman", [.. StoreArgs(node), .. args], timeout: TimeSpan.FromSeconds(60));

    public string[] StoreArgs(string node) =>
        ["--root", Path.Combine(DataDir, node, "storage"), "--runroot", Path.Combine(RunDir, node), "--tmpdir", Path.Combine(RunDir, node, "libpod")];

    /// <summary>Every container of the job in one node's store, read with podman inspect.</summary>
    public async Task<IReadOnlyList<StoreContainer>> ContainersOfJob(string node, string jobId)
    {
        var ids = await Podman(node, "ps", "-a", "--filter", $"label=sched.job={jobId}", "--format", "{{.ID}}");
        Assert.True(ids.ExitCode == 0, ids.ToString());
        var list = ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
        {
            return [];
        }

        var inspect = await Podman(node, ["inspect", .. list]);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var doc = JsonDocument.Parse(inspect.Stdout);
        return [.. doc.RootElement.EnumerateArray().Select(c => StoreContainer.From(node, c))];
    }

    /// <summary>Every container of the job in every store.</summary>
    public async Task<IReadOnlyList<StoreContainer>> ContainersOfJob(string jobId) =>
        [.. (await Task.WhenAll(NodeNames.Select(n => ContainersOfJob(n, jobId)))).SelectMany(c => c)];

    public async Task<JsonElement> Job(string jobId)
    {
        return await Get($"v1/jobs/{jobId}");
    }

    /// <summary>node name → state (up, unhealthy, unreachable, down) as the scheduler reports it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NodeStates()
    {
        var nodes = await Get("v1/nodes");
        return nodes.EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("status").GetString()!);
    }

    private async Task<JsonElement> Get(string path)
    {
        using var response = await Http.GetAsync(new Uri($"{Address}/{path}"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Submits a service job that sleeps, one container per shard, and returns its id.</summary>
    public async Task<string> RunService(int shards, params string[] extra)
    {
        var run = await Sched(["run", "sched-test-busybox", "--type", "service", "--shards", $"{shards}", "--cpus", "0.1", "--memory", "32Mi",
            "--detach", .. extra, "--", "sleep", "3600"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout.Trim();
    }

    /// <summary>Stops a job if it exists; its containers are removed on every node that answers.</summary>
    public async Task StopJob(string? jobId)
    {
        if (jobId is not null)
        {
            await Sched("stop", jobId);
        }
    }

    /// <summary>The number of running containers of the job per node, in the stores.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RunningPerNode(string jobId)
    {
        var counts = await Task.WhenAll(NodeNames.Select(async n => (n, (await ContainersOfJob(n, jobId)).Count(c => c.Running))));
        return counts.ToDictionary(c => c.n, c => c.Item2);
    }

    /// <summary>Waits until every shard of the service job has a running container, per the stores; returns shards per node.</summary>
    public async Task<IReadOnlyDictionary<string, int>> WaitAllRunning(string jobId, int shards, TimeSpan? timeout = null)
    {
        IReadOnlyDictionary<string, int> perNode = new Dictionary<string, int>();
        await Eventually.Until(async () => (perNode = await RunningPerNode(jobId)).Values.Sum() == shards, timeout ?? TimeSpan.FromSeconds(120),
            $"{shards} running containers of {jobId}", () => Task.FromResult(Describe(perNode)));
        return perNode;
    }

    /// <summary>SIGTERM to the node's podman API service only (not its agent, not its containers); waits until it is gone.</summary>
    public async Task StopPodmanService(string node)
    {
        var pids = Commands.PidsWhoseCommandEndsWith($"system service --time=0 unix://{Socket(node)}");
        Assert.True(pids.Count > 0, $"no podman service of {node} runs");
        foreach (var pid in pids)
        {
            await Commands.Must("kill", "-TERM", $"{pid}");
        }

        await Eventually.Until(() => Task.FromResult(pids.All(p => !Directory.Exists($"/proc/{p}"))), TimeSpan.FromSeconds(30), $"{node}'s podman service exits");
    }

    public string LogTail(string node, int lines = 40) =>
        File.Exists(AgentLog(node))
            ? string.Join("\n", File.ReadLines(AgentLog(node)).Where(l => !l.StartsWith("   at ", StringComparison.Ordinal)).TakeLast(lines))
            : "(no log)";

    /// <summary>Lines of the node's agent log (this incarnation and the previous one) that contain any of the words.</summary>
    public IReadOnlyList<string> LogLines(string node, params string[] words)
    {
        var files = new[] { AgentLog(node) + ".prev", AgentLog(node) }.Where(File.Exists);
        return [.. files.SelectMany(ReadShared).Where(l => words.Any(w => l.Contains(w, StringComparison.Ordinal)))];
    }

    /// <summary>What the cluster did about membership and fencing: the lines to print when a failure test looks odd.</summary>
    public string MembershipEvents() => string.Join("\n", NodeNames.SelectMany(n => LogLines(n,
        "is unreachable", "is removed", "is left", "downed", "fencing", "fenced", "SBR", "lost", "reconciled", "adopted").Select(l => $"{n}: {l}")));

    public static string Describe(IReadOnlyDictionary<string, int> perNode) => string.Join(", ", perNode.Select(kv => $"{kv.Key} {kv.Value}"));

    private static IEnumerable<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private void DownOnExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Script("down", "--purge").GetAwaiter().GetResult();
            AfterDown().GetAwaiter().GetResult();
        }
    }

    /// <summary>Clusters (and their networks) of test runs whose process is gone are taken down before a new one starts.</summary>
    private static async Task ReapAbandoned()
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
            var down = await Commands.Run(ScriptPath, ["down", "--purge"], env, ScriptTimeout);
            await PartitionNetwork.RemoveRecorded(dir);
            if (down.ExitCode == 0)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Cluster ports BASE+1..BASE+3 and an HTTP port, all free on every address now.</summary>
    private static (int Base, int Http) FreePorts()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(3_300, 3_900) * 10;
            if (Enumerable.Range(start, Nodes + 2).All(IsFree))
            {
                return (start, start + Nodes + 1);
            }
        }

        throw new InvalidOperationException("no block of free ports between 33000 and 39000");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A container as its node's podman store reports it.</summary>
public sealed record StoreContainer(
    string Node, string Name, string Id, string State, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long ExitCode, string Job, int Shard, int Attempt)
{
    public bool Running => State == "running";

    public static StoreContainer From(string node, JsonElement inspected)
    {
        var labels = inspected.GetProperty("Config").GetProperty("Labels");
        var state = Child(inspected, "State");
        return new StoreContainer(
            node,
            Text(inspected, "Name").TrimStart('/'),
            Text(inspected, "Id"),
            Text(state, "Status"),
            Time(state, "StartedAt"),
            Time(state, "FinishedAt"),
            Child(state, "ExitCode").GetInt64(),
            Label(labels, "sched.job"),
            int.Parse(Label(labels, "sched.shard"), CultureInfo.InvariantCulture),
            int.Parse(Label(labels, "sched.attempt"), CultureInfo.InvariantCulture));
    }

    private static JsonElement Child(JsonElement element, string key) => element.GetProperty(key);

    private static string Text(JsonElement element, string key) => element.GetProperty(key).GetString()!;

    private static DateTimeOffset Time(JsonElement element, string key) => DateTimeOffset.Parse(Text(element, key), CultureInfo.InvariantCulture);

    private static string Label(JsonElement labels, string name) =>
        labels.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}

/// <summary>Polling with generous limits: the machines are loaded.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> Until(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<Task<string>>? observed = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                var last = observed is null ? "" : $"; last seen: {await observed()}";
                Assert.Fail($"{what}: not within {timeout.TotalSeconds:0} s{last}");
            }

            await Task.Delay(250);
        }

        return clock.Elapsed;
    }
}
