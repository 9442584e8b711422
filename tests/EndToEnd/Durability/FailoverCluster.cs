using System.Globalization;
using System.Text.Json;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// The three-node <see cref="Cluster"/> with node2 a second scheduler node: its agent gets the flags
/// <c>--roles scheduler,worker --http 127.0.0.1:PORT2</c>, which come after the script's own <c>--roles worker --http off</c>
/// and win (the script remembers them for node2's later starts). node1 is still the seed and the first scheduler.
/// </summary>
public sealed class FailoverCluster : Cluster
{
    public int Node2HttpPort { get; } = Ports.FreeLoopback();

    public string Node2Address => $"http://127.0.0.1:{Node2HttpPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The sched CLI with <c>--addr</c> (one address, or several comma-separated), as a person on another machine runs it.</summary>
    public Task<ProcessResult> SchedAt(string addresses, params string[] args) =>
        Processes.RunAsync(Repo.SchedBinary, [.. args, "--addr", addresses], new Dictionary<string, string> { ["SCHED_TOKEN_FILE"] = TokenFile },
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

    protected override IReadOnlyList<string> AgentFlags(string node) =>
        node == "node2" ? ["--roles", "scheduler,worker", "--http", $"127.0.0.1:{Node2HttpPort.ToString(CultureInfo.InvariantCulture)}"] : [];
}
