using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Security;

/// <summary>
/// Issue 14, acceptance 6: the cluster port, captured with tshark while a job with a distinctive name and environment
/// value is placed on the shared three-node TLS cluster, shows TLS handshakes and neither text.
/// <see cref="InsecureClusterTrafficCaptureSpecs"/> is the control: the same capture on an --insecure-cluster shows both.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class ClusterTrafficCaptureSpecs(Cluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Traffic_between_agents_is_TLS_and_carries_no_job_name_or_environment_value_in_cleartext()
    {
        // The agents' connections were made (and their handshakes done) when the cluster formed: node3 restarts inside
        // the capture so that it shows handshakes of its own.
        var seen = await CapturedJob.Run(cluster, async () =>
        {
            await cluster.Stop("node3");
            await cluster.Start("node3");
        });

        output.WriteLine(seen.ToString());
        Assert.True(seen.ClientHellos.Count > 0, $"no TLS ClientHello on the cluster ports; {seen}");
        Assert.True(seen.PacketsWithPayload > 0, seen.ToString());
        Assert.False(seen.NameVisible, $"the job name {seen.Name} is in the capture");
        Assert.False(seen.ValueVisible, $"the environment value {seen.Value} is in the capture");
    }
}

/// <summary>What a capture of a cluster's agent ports saw while a job with a distinctive name and env value started.</summary>
public sealed record CapturedJob(string Name, string Value, IReadOnlyList<string> ClientHellos, int PacketsWithPayload, bool NameVisible, bool ValueVisible, string Pcap)
{
    /// <summary>
    /// Captures every agent port of <paramref name="cluster"/>, does <paramref name="alsoInside"/>, then runs a
    /// three-shard service job, one shard on each of node1..node3 (so the scheduler on node1 sends RunShards to node2
    /// and node3 over the wire; node4, if a test added it, is left out), and
    /// stops the capture once all three run; the job is stopped afterwards.
    /// </summary>
    public static async Task<CapturedJob> Run(Cluster cluster, Func<Task> alsoInside)
    {
        var mark = Guid.NewGuid().ToString("N")[..8];
        var name = $"capture-canary-{mark}";
        var value = $"canary-value-{mark}";
        var dir = Directory.CreateTempSubdirectory("sched-e2e-capture-").FullName;
        var ports = Enumerable.Range(1, Cluster.MaxNodes).Select(k => cluster.BasePort + k).ToList();
        string? jobId = null;
        try
        {
            await using (var capture = await LoopbackCapture.Start(dir, ports))
            {
                await alsoInside();
                jobId = await cluster.RunService(3, "--name", name, "-e", $"CANARY={value}", "--max-per-node", "1", "--constraint", "node != node4");
                await cluster.WaitAllRunning(jobId, 3, TimeSpan.FromMinutes(5));
                await capture.Stop();
                var segments = await capture.Segments();
                return new CapturedJob(name, value, [.. segments.Where(s => s.IsClientHello).Select(s => s.ToString())], segments.Count,
                    await capture.Contains(name), await capture.Contains(value), capture.File);
            }
        }
        finally
        {
            await cluster.StopJob(jobId);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"capture {Pcap}: {ClientHellos.Count} TLS ClientHellos ({string.Join(", ", ClientHellos)}), {PacketsWithPayload} packets with payload; "
        + $"job name {Name} {(NameVisible ? "VISIBLE" : "not found")}, env value {Value} {(ValueVisible ? "VISIBLE" : "not found")}");
}
