using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace Sched.EndToEnd.Support;

/// <summary>
/// A container as its podman store reports it: the ground truth the tests compare sched's view with. Inspected is
/// the whole of what `podman inspect` said of it.
/// </summary>
public sealed record StoreContainer(
    string Node, string Name, string Id, string State, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long ExitCode,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Env, long Memory, long NanoCpus,
    JsonElement Inspected = default)
{
    public bool Running => State == "running";

    public string Job => Label("sched.job");

    public int Shard => int.Parse(Label("sched.shard"), CultureInfo.InvariantCulture);

    public int Attempt => int.Parse(Label("sched.attempt"), CultureInfo.InvariantCulture);

    public static StoreContainer From(string node, JsonElement inspected)
    {
        var state = Child(inspected, "State");
        var config = Child(inspected, "Config");
        var host = Child(inspected, "HostConfig");
        return new StoreContainer(
            node,
            Text(inspected, "Name").TrimStart('/'),
            Text(inspected, "Id"),
            Text(state, "Status"),
            Time(state, "StartedAt"),
            Time(state, "FinishedAt"),
            Child(state, "ExitCode").GetInt64(),
            Child(config, "Labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            Child(config, "Env").EnumerateArray().Select(e => e.GetString()!.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
            Child(host, "Memory").GetInt64(),
            Child(host, "NanoCpus").GetInt64(),
            inspected.Clone());
    }

    private string Label(string name) => Labels.GetValueOrDefault(name) ?? "";

    private static JsonElement Child(JsonElement element, string key) => element.GetProperty(key);

    private static string Text(JsonElement element, string key) => element.GetProperty(key).GetString()!;

    private static DateTimeOffset Time(JsonElement element, string key) => DateTimeOffset.Parse(Text(element, key), CultureInfo.InvariantCulture);
}

/// <summary>A running managed container as a store lists it: which shard of which job runs where.</summary>
public sealed record RunningShard(string Node, string Job, int Shard, string Name);

/// <summary>
/// Reads one podman store: the machine's default one (<see cref="Machine"/>), or a private one named by its podman
/// flags (<c>--root --runroot --tmpdir</c>) and read through its API socket where that is quicker.
/// </summary>
public sealed class PodmanStore(string node, IReadOnlyList<string> storeArgs, string? socket = null) : IDisposable
{
    private static readonly TimeSpan SocketTimeout = TimeSpan.FromSeconds(3);
    private readonly Lazy<HttpClient> _api = new(() => SocketClient(socket ?? throw new InvalidOperationException($"the store of {node} has no API socket")));

    /// <summary>The machine's own store, as plain `podman` sees it (the dev agents' store).</summary>
    public static PodmanStore Machine { get; } = new("machine", TestPodman.CliArgs, TestPodman.Socket);

    /// <summary>The node whose store this is, as the containers read from it name it.</summary>
    public string Node { get; } = node;

    public IReadOnlyList<string> StoreArgs { get; } = storeArgs;

    /// <summary>A private store's flags: its storage, and a run folder of its own (podman's default tmpdir holds the events of every store).</summary>
    public static string[] ArgsOf(string storage, string run) => ["--root", storage, "--runroot", run, "--tmpdir", Path.Combine(run, "libpod")];

    /// <summary>podman on this store.</summary>
    public Task<ProcessResult> Podman(params string[] args) => Processes.RunAsync("podman", [.. StoreArgs, .. args]);

    /// <summary>Every container of the job in this store (any state), read with podman inspect.</summary>
    public async Task<IReadOnlyList<StoreContainer>> ContainersOfJob(string jobId)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ids = await Podman("ps", "-a", "--filter", $"label=sched.job={jobId}", "--format", "{{.ID}}");
            Assert.True(ids.ExitCode == 0, ids.ToString());
            var list = ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (list.Length == 0)
            {
                return [];
            }

            var inspect = await Podman(["inspect", .. list]);
            if (inspect.ExitCode != 0 && attempt < 5 && IsGone(inspect.Stderr))
            {
                continue; // removed between ps and inspect (sched stopping the job): read the store again
            }

            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            using var doc = JsonDocument.Parse(inspect.Stdout);
            return [.. doc.RootElement.EnumerateArray().Select(c => StoreContainer.From(Node, c))];
        }
    }

    private static bool IsGone(string podmanError) =>
        podmanError.Contains("no such container", StringComparison.Ordinal) || podmanError.Contains("no such object", StringComparison.Ordinal);

    /// <summary>What the container printed, standard output and error.</summary>
    public async Task<string> Logs(string container)
    {
        var logs = await Podman("logs", container);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        return logs.Stdout + logs.Stderr;
    }

    /// <summary>Whether the store's API socket answers a ping.</summary>
    public async Task<bool> Answers()
    {
        try
        {
            using var timeout = new CancellationTokenSource(SocketTimeout);
            using var response = await _api.Value.GetAsync(new Uri("http://d/_ping"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The running managed containers: through the API socket (15 ms, little CPU), or with `podman ps` on the store
    /// when the socket does not answer (a node whose podman service was killed still has running containers).
    /// Null, with what went wrong, when neither answered.
    /// </summary>
    public async Task<(IReadOnlyList<RunningShard>? Running, string? Error)> RunningManaged()
    {
        try
        {
            using var timeout = new CancellationTokenSource(SocketTimeout);
            var filter = Uri.EscapeDataString("{\"label\":[\"sched.managed=true\"]}");
            var json = await _api.Value.GetStringAsync(new Uri($"http://d/v1.41/containers/json?filters={filter}"), timeout.Token);
            using var doc = JsonDocument.Parse(json);
            return ([.. doc.RootElement.EnumerateArray().Select(c => new RunningShard(
                Node,
                ApiLabel(c, "sched.job"),
                int.Parse(ApiLabel(c, "sched.shard"), CultureInfo.InvariantCulture),
                c.GetProperty("Names")[0].GetString()!.TrimStart('/')))], null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return await RunningManagedByCli();
        }
    }

    public void Dispose()
    {
        if (_api.IsValueCreated)
        {
            _api.Value.Dispose();
        }
    }

    private async Task<(IReadOnlyList<RunningShard>? Running, string? Error)> RunningManagedByCli()
    {
        try
        {
            var ps = await Podman("ps", "--filter", "label=sched.managed=true", "--format", "{{index .Labels \"sched.job\"}}|{{index .Labels \"sched.shard\"}}|{{.Names}}");
            if (ps.ExitCode != 0)
            {
                return (null, $"{Node}: {ps}");
            }

            return ([.. ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split('|'))
                .Select(f => new RunningShard(Node, f[0], int.Parse(f[1], CultureInfo.InvariantCulture), f[2]))], null);
        }
        catch (Exception e)
        {
            return (null, $"{Node}: {e.Message}");
        }
    }

    private static string ApiLabel(JsonElement container, string key) =>
        container.GetProperty("Labels").TryGetProperty(key, out var value) ? value.GetString() ?? "" : "";

    /// <summary>An HTTP client on the store's unix socket; each call brings its own timeout.</summary>
    private static HttpClient SocketClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(unix, ownsSocket: true);
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        },
    })
    { Timeout = Timeout.InfiniteTimeSpan };
}
