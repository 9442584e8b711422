using System.Diagnostics;
using System.Globalization;

namespace Sched.EndToEnd.Support;

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
/// runs twice", independent of what sched believes. A store is read through its podman API socket where it answers
/// (<see cref="PodmanStore.RunningManaged"/>): three `podman ps` every 100 ms would take a core of this 2-core machine.
/// </summary>
public sealed class StoreSampler : IAsyncDisposable
{
    private readonly Cluster _cluster;
    private readonly TimeSpan _interval;
    private readonly List<StoreSample> _samples = [];
    private readonly List<string> _errors = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public StoreSampler(Cluster cluster, TimeSpan? interval = null)
    {
        _cluster = cluster;
        _interval = interval ?? TimeSpan.FromMilliseconds(100);
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
        StoreSample? found = null;
        await Wait.Until(
            async () =>
            {
                if (_loop.IsCompleted)
                {
                    await _loop;
                    Assert.Fail("the sampler stopped");
                }

                return (found = Samples.FirstOrDefault(s => s.Started >= after && condition(s))) is not null;
            },
            timeout, what, () => Task.FromResult($"last sample {(Samples.Count == 0 ? "none" : Samples[^1].Describe())}"), TimeSpan.FromMilliseconds(50));
        return found!;
    }

    /// <summary>The first sample started at or after <paramref name="after"/> that satisfies the condition, or null if none within the timeout.</summary>
    public async Task<StoreSample?> FirstOrNull(Func<StoreSample, bool> condition, TimeSpan after, TimeSpan timeout)
    {
        StoreSample? found = null;
        await Wait.Within(() => Task.FromResult((found = Samples.FirstOrDefault(s => s.Started >= after && condition(s))) is not null), timeout, TimeSpan.FromMilliseconds(100));
        return found;
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
    }

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Clock.Elapsed;
            var listings = await Task.WhenAll(Cluster.InitialNodeNames.Select(List));
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
        var (running, error) = await _cluster.Store(node).RunningManaged();
        if (error is not null)
        {
            Error(error);
        }

        return (node, running);
    }

    private void Error(string text)
    {
        lock (_gate)
        {
            _errors.Add(text);
        }
    }
}
