using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sched.EndToEnd.Support;

/// <summary>What the tests read from a <see cref="Cluster"/> and ask of it: the CLI, the API, the stores, the logs.</summary>
public partial class Cluster
{
    private readonly ConcurrentDictionary<string, PodmanStore> _stores = new();
    private HttpClient? _http;

    /// <summary>A client that sends this cluster's API token.</summary>
    public HttpClient Http => _http ??= new HttpClient(new BearerTokenHandler(TokenFile)) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Every node the script has created so far (node1..node3, and any added by <see cref="Start"/>).</summary>
    public IReadOnlyList<string> Nodes =>
        [.. Directory.EnumerateDirectories(DataDir, "node*").Select(Path.GetFileName).OfType<string>()
            .OrderBy(n => int.Parse(n["node".Length..], CultureInfo.InvariantCulture))];

    /// <summary>The log of node1's agent, which hosts the scheduler: placement lines are written here.</summary>
    public string Node1Log => AgentLog("node1");

    public string AgentLog(string node) => Path.Combine(DataDir, node, "agent.log");

    /// <summary>The node guard's log (`sched guard`, started by local-cluster.sh beside each agent).</summary>
    public string GuardLog(string node) => Path.Combine(DataDir, node, "guard.log");

    /// <summary>Whether the node's agent process (as local-cluster.sh recorded it) still exists, running or stopped.</summary>
    public bool AgentRuns(string node) =>
        File.Exists(Path.Combine(DataDir, node, "agent.pid"))
        && int.TryParse(File.ReadAllText(Path.Combine(DataDir, node, "agent.pid")).Trim(), CultureInfo.InvariantCulture, out var pid)
        && Reaper.IsRunning(pid);

    /// <summary>The node's podman API socket.</summary>
    public string Socket(string node) => Path.Combine(RunDir, node, "podman.sock");

    /// <summary>The sched CLI against this cluster's HTTP API, as a person runs it.</summary>
    public Task<ProcessResult> Sched(params string[] args) =>
        Processes.RunAsync(Repo.SchedBinary, args, new Dictionary<string, string> { ["SCHED_ADDR"] = Address, ["SCHED_TOKEN_FILE"] = TokenFile }, ScriptTimeout);

    /// <summary>One node's own podman store, as local-cluster.sh lays it out.</summary>
    public PodmanStore Store(string node) =>
        _stores.GetOrAdd(node, n => new PodmanStore(n, PodmanStore.ArgsOf(Path.Combine(DataDir, n, "storage"), Path.Combine(RunDir, n)), Socket(n)));

    /// <summary>The job's containers in one node's store.</summary>
    public Task<IReadOnlyList<StoreContainer>> ContainersOfJob(string node, string jobId) => Store(node).ContainersOfJob(jobId);

    /// <summary>The job's containers in the stores of node1..node3.</summary>
    public async Task<IReadOnlyList<StoreContainer>> ContainersOfJob(string jobId) =>
        [.. (await Task.WhenAll(InitialNodeNames.Select(n => ContainersOfJob(n, jobId)))).SelectMany(c => c)];

    public async Task<JsonElement> Job(string jobId) => await Get($"v1/jobs/{jobId}");

    /// <summary>The nodes the scheduler knows to hold the image (GET /v1/images), as their agents last reported.</summary>
    public async Task<IReadOnlyList<string>> HoldersOf(string image) =>
        [.. (await Get("v1/images")).EnumerateArray()
            .Where(i => i.GetProperty("names").EnumerateArray().Any(n => n.GetString() == image))
            .Select(i => i.GetProperty("node").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>node name → state (up, unhealthy, unreachable, down) as the scheduler reports it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NodeStates()
    {
        var nodes = await Get("v1/nodes");
        return nodes.EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("status").GetString()!);
    }

    /// <summary>
    /// As <see cref="NodeStates"/>, but none while the API answers 503: a scheduler that has just started answers so
    /// until it has recovered the jobs from a majority of the scheduler nodes.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> NodeStatesOnceRecovered()
    {
        using var response = await Http.GetAsync(new Uri($"{Address}/v1/nodes"));
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return new Dictionary<string, string>();
        }

        response.EnsureSuccessStatusCode();
        var nodes = await response.Content.ReadFromJsonAsync<JsonElement>();
        return nodes.EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("status").GetString()!);
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

    /// <summary>The number of running containers of the job per node, in the stores of node1..node3.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RunningPerNode(string jobId)
    {
        var counts = await Task.WhenAll(InitialNodeNames.Select(async n => (n, (await ContainersOfJob(n, jobId)).Count(c => c.Running))));
        return counts.ToDictionary(c => c.n, c => c.Item2);
    }

    /// <summary>Waits until every shard of the service job has a running container, per the stores; returns shards per node.</summary>
    public async Task<IReadOnlyDictionary<string, int>> WaitAllRunning(string jobId, int shards, TimeSpan? timeout = null)
    {
        IReadOnlyDictionary<string, int> perNode = new Dictionary<string, int>();
        await Wait.Until(async () => (perNode = await RunningPerNode(jobId)).Values.Sum() == shards, timeout ?? TimeSpan.FromSeconds(120),
            $"{shards} running containers of {jobId}", () => Task.FromResult(Describe(perNode)));
        return perNode;
    }

    /// <summary>SIGTERM to the node's podman API service only (not its agent, not its containers); waits until it is gone.</summary>
    public async Task StopPodmanService(string node)
    {
        var pids = Reaper.PidsWhoseCommandEndsWith($"system service --time=0 unix://{Socket(node)}");
        Assert.True(pids.Count > 0, $"no podman service of {node} runs");
        foreach (var pid in pids)
        {
            await Processes.Must("kill", "-TERM", $"{pid}");
        }

        await Wait.Until(() => pids.All(p => !Reaper.IsRunning(p)), TimeSpan.FromSeconds(30), $"{node}'s podman service exits");
    }

    /// <summary>The last lines of the node's agent log, without stack trace lines.</summary>
    public string LogTail(string node, int lines = 40) =>
        File.Exists(AgentLog(node))
            ? string.Join("\n", ReadShared(AgentLog(node)).Where(l => !l.StartsWith("   at ", StringComparison.Ordinal)).TakeLast(lines))
            : "(no log)";

    /// <summary>Lines of the node's guard log that contain any of the words.</summary>
    public IReadOnlyList<string> GuardLogLines(string node, params string[] words) =>
        File.Exists(GuardLog(node)) ? [.. ReadShared(GuardLog(node)).Where(l => words.Any(w => l.Contains(w, StringComparison.Ordinal)))] : [];

    /// <summary>Lines of the node's agent log (this incarnation and the previous one) that contain any of the words.</summary>
    public IReadOnlyList<string> LogLines(string node, params string[] words)
    {
        var files = new[] { AgentLog(node) + ".prev", AgentLog(node) }.Where(File.Exists);
        return [.. files.SelectMany(ReadShared).Where(l => words.Any(w => l.Contains(w, StringComparison.Ordinal)))];
    }

    /// <summary>What the cluster did about membership and fencing: the lines to print when a failure test looks odd.</summary>
    public string MembershipEvents() => string.Join("\n", InitialNodeNames.SelectMany(n => LogLines(n,
        "is unreachable", "is removed", "is left", "downed", "agent stops", "Exiting", "fencing", "fenced", "SBR", "lost", "reconciled", "adopted").Select(l => $"{n}: {l}")));

    public static string Describe(IReadOnlyDictionary<string, int> perNode) => string.Join(", ", perNode.Select(kv => $"{kv.Key} {kv.Value}"));

    private async Task<JsonElement> Get(string path)
    {
        using var response = await Http.GetAsync(new Uri($"{Address}/{path}"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private void DisposeClients()
    {
        _http?.Dispose();
        foreach (var store in _stores.Values)
        {
            store.Dispose();
        }
    }

    /// <summary>A log the agent is still writing (and the script may rename).</summary>
    private static List<string> ReadShared(string path)
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
}
