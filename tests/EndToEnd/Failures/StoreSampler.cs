using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace Sched.EndToEnd.Failures;

/// <summary>A running managed container seen in one node's store.</summary>
public sealed record RunningShard(string Node, string Job, int Shard, string Name);

/// <summary>
/// One look at every store, taken in parallel: <see cref="Started"/> and <see cref="Finished"/> are times on the
/// sampler's clock. A store whose listing failed has no entry in <see cref="ByNode"/>.
/// </summary>
public sealed record StoreSample(TimeSpan Started, TimeSpan Finished, IReadOnlyDictionary<string, IReadOnlyList<RunningShard>> ByNode)
{
    public IEnumerable<RunningShard> All => ByNode.Values.SelectMany(c => c);

    /// <summary>Shards of which more than one container runs, across all stores that answered.</summary>
    public IReadOnlyList<IGrouping<(string Job, int Shard), RunningShard>> Duplicates =>
        [.. All.GroupBy(c => (c.Job, c.Shard)).Where(g => g.Count() > 1)];

    public bool Answered(params string[] nodes) => nodes.All(ByNode.ContainsKey);

    /// <summary>How many distinct shards of the job run on these nodes.</summary>
    public int ShardsRunning(string jobId, params string[] nodes) =>
        nodes.SelectMany(n => ByNode.GetValueOrDefault(n) ?? []).Where(c => c.Job == jobId).Select(c => c.Shard).Distinct().Count();

    public int ContainersRunning(string jobId, string node) => (ByNode.GetValueOrDefault(node) ?? []).Count(c => c.Job == jobId);

    public string Describe() =>
        $"[{Started.TotalSeconds:0.00}-{Finished.TotalSeconds:0.00} s] " + string.Join("; ", ByNode.Select(kv =>
            $"{kv.Key}: {string.Join(" ", kv.Value.OrderBy(c => c.Job, StringComparer.Ordinal).ThenBy(c => c.Shard).Select(c => c.Name))}"));
}

/// <summary>
/// Lists the running managed containers of every node's store, all stores in parallel, a new round every
/// <c>interval</c> (or as soon as the last one is done, when that takes longer): the ground truth for "a shard never
/// runs twice", independent of what sched believes. A store is read through its podman API socket (15 ms, little
/// CPU), or with `podman ps` on the store itself when the socket does not answer (a node whose podman service was
/// killed still has running containers): three `podman ps` every 100 ms would take a core of this 2-core machine.
/// </summary>
public sealed class StoreSampler : IAsyncDisposable
{
    private static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(3);
    private readonly FailureCluster _cluster;
    private readonly Dictionary<string, HttpClient> _sockets;
    private readonly TimeSpan _interval;
    private readonly List<StoreSample> _samples = [];
    private readonly List<string> _errors = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public StoreSampler(FailureCluster cluster, TimeSpan? interval = null)
    {
        _cluster = cluster;
        _interval = interval ?? TimeSpan.FromMilliseconds(100);
        _sockets = FailureCluster.NodeNames.ToDictionary(n => n, n => UnixSocketClient(cluster.Socket(n)));
    }

    /// <summary>The clock samples are timed on; tests read it to mark when they broke something.</summary>
    public Stopwatch Clock { get; } = new();

    public IReadOnlyList<StoreSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    public IReadOnlyList<StoreSample> WithDuplicates => [.. Samples.Where(s => s.Duplicates.Count > 0)];

    public StoreSampler Start()
    {
        Clock.Start();
        _loop = Task.Run(Loop);
        return this;
    }

    /// <summary>The first sample started at or after <paramref name="after"/> that satisfies the condition.</summary>
    public async Task<StoreSample> WaitFor(Func<StoreSample, bool> condition, TimeSpan after, TimeSpan timeout, string what)
    {
        var deadline = Clock.Elapsed + timeout;
        while (true)
        {
            if (Samples.FirstOrDefault(s => s.Started >= after && condition(s)) is { } found)
            {
                return found;
            }

            if (Clock.Elapsed > deadline)
            {
                var samples = Samples;
                Assert.Fail($"{what}: not seen within {timeout.TotalSeconds:0} s; last sample {(samples.Count == 0 ? "none" : samples[^1].Describe())}");
            }

            if (_loop.IsCompleted)
            {
                await _loop;
                Assert.Fail("the sampler stopped");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Samples for this long more (from now), then returns.</summary>
    public async Task Keep(TimeSpan span) => await Task.Delay(span);

    public string Summary()
    {
        var samples = Samples;
        var durations = samples.Select(s => (s.Finished - s.Started).TotalMilliseconds).Order().ToList();
        var median = durations.Count == 0 ? 0 : durations[durations.Count / 2];
        string[] errors;
        lock (_gate)
        {
            errors = [.. _errors];
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{samples.Count} samples over {Clock.Elapsed.TotalSeconds:0.0} s (median round {median:0} ms), {WithDuplicates.Count} with a shard running twice, {errors.Length} failed listings")
            + (errors.Length == 0 ? "" : "; first failure: " + errors[0]);
    }

    /// <summary>Each shard seen running twice: on which nodes, in which containers, from when to when, in how many samples.</summary>
    public string DuplicateReport() => string.Join("\n", WithDuplicates
        .SelectMany(s => s.Duplicates.Select(d => (Sample: s, What: $"{d.Key.Job} shard {d.Key.Shard} on {string.Join(" + ", d.Select(c => $"{c.Node} ({c.Name})"))}")))
        .GroupBy(x => x.What)
        .Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{g.Key}: seen in {g.Count()} samples from {g.First().Sample.Started.TotalSeconds:0.00} s to {g.Last().Sample.Finished.TotalSeconds:0.00} s")));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        foreach (var client in _sockets.Values)
        {
            client.Dispose();
        }
    }

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Clock.Elapsed;
            var listings = await Task.WhenAll(FailureCluster.NodeNames.Select(List));
            var finished = Clock.Elapsed;
            var byNode = listings.Where(l => l.Containers is not null).ToDictionary(l => l.Node, l => l.Containers!);
            lock (_gate)
            {
                _samples.Add(new StoreSample(started, finished, byNode));
            }

            var wait = _interval - (finished - started);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<(string Node, IReadOnlyList<RunningShard>? Containers)> List(string node)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ApiTimeout);
            var filter = Uri.EscapeDataString("{\"label\":[\"sched.managed=true\"]}");
            var json = await _sockets[node].GetStringAsync(new Uri($"http://d/v1.41/containers/json?filters={filter}"), timeout.Token);
            using var doc = JsonDocument.Parse(json);
            return (node, [.. doc.RootElement.EnumerateArray().Select(c => new RunningShard(
                node,
                Label(c, "sched.job"),
                int.Parse(Label(c, "sched.shard"), CultureInfo.InvariantCulture),
                c.GetProperty("Names")[0].GetString()!.TrimStart('/')))]);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return await ListWithCli(node);
        }
    }

    private static string Label(JsonElement container, string key) =>
        container.GetProperty("Labels").TryGetProperty(key, out var value) ? value.GetString() ?? "" : "";

    private async Task<(string Node, IReadOnlyList<RunningShard>? Containers)> ListWithCli(string node)
    {
        try
        {
            var ps = await _cluster.Podman(node, "ps", "--filter", "label=sched.managed=true", "--format",
                "{{index .Labels \"sched.job\"}}|{{index .Labels \"sched.shard\"}}|{{.Names}}");
            if (ps.ExitCode != 0)
            {
                Error($"{node}: {ps}");
                return (node, null);
            }

            return (node, [.. ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split('|'))
                .Select(f => new RunningShard(node, f[0], int.Parse(f[1], CultureInfo.InvariantCulture), f[2]))]);
        }
        catch (Exception e)
        {
            Error($"{node}: {e.Message}");
            return (node, null);
        }
    }

    private static HttpClient UnixSocketClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private void Error(string text)
    {
        lock (_gate)
        {
            _errors.Add(text);
        }
    }
}
