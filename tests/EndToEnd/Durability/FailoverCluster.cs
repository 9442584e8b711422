using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sched.EndToEnd.Failures;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// The failure tests' three-node cluster (<see cref="FailureCluster"/>: deploy/local-cluster.sh in a private temp
/// folder on free ports), with node2 a second scheduler node: started by the script with the extra flags
/// <c>--roles scheduler,worker --http 127.0.0.1:PORT2</c>, which come after the script's own <c>--roles worker --http off</c>
/// and win (the script remembers them for node2's later starts). node1 is still the seed and the first scheduler.
/// </summary>
public sealed class FailoverCluster : FailureCluster
{

    public int Node2HttpPort { get; } = FreeLoopbackPort();

    public string Node2Address => $"http://127.0.0.1:{Node2HttpPort.ToString(CultureInfo.InvariantCulture)}";

    public string[] Node2Flags => ["--roles", "scheduler,worker", "--http", $"127.0.0.1:{Node2HttpPort.ToString(CultureInfo.InvariantCulture)}"];

    /// <summary>The sched CLI with <c>--addr</c> (one address, or several comma-separated), as a person on another machine runs it.</summary>
    public Task<ProcessResult> SchedAt(string addresses, params string[] args) =>
        Commands.Run(Processes.SchedBinary(), [.. args, "--addr", addresses], new Dictionary<string, string> { ["SCHED_TOKEN_FILE"] = TokenFile },
            TimeSpan.FromMinutes(2));

    /// <summary>GET /v1/jobs at one scheduler node's HTTP API.</summary>
    public async Task<IReadOnlyList<JsonElement>> Jobs(string address)
    {
        using var response = await Http.GetAsync(new Uri($"{address}/v1/jobs"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {address}/v1/jobs: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return [.. doc.RootElement.EnumerateArray().Select(j => j.Clone())];
    }

    /// <summary>The jobs, or null while that node's API does not answer with them (the scheduler moving, the node down).</summary>
    public async Task<IReadOnlyList<JsonElement>?> TryJobs(string address)
    {
        try
        {
            return await Jobs(address);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Xunit.Sdk.XunitException)
        {
            return null;
        }
    }

    /// <summary>node1 first (the seed; `start` waits until it is up), then node2 with its scheduler flags; `up` starts node3.</summary>
    protected override async Task BeforeUp()
    {
        await MustScript("start", "node1");
        await MustScript(["start", "node2", .. Node2Flags]);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
