using System.Security.Cryptography;

namespace Sched.EndToEnd;

/// <summary>
/// Issue 16 acceptance 3: the agent serving an image copy is killed mid-stream; the copy is taken again from the
/// other node that holds the image, and the half-copied image is never used (the shard runs on the full one).
/// </summary>
public sealed partial class LocalClusterSpecs
{
    /// <summary>Large enough that the copy takes a moment to kill it in, on loopback.</summary>
    private const int LargePayloadBytes = 160 * 1024 * 1024;

    [Fact]
    public async Task A_copy_cut_off_by_its_serving_agent_s_death_is_taken_again_from_the_other_holder_and_the_shard_runs()
    {
        await OnlyTheInitialNodesAreUp();
        var image = $"localhost/sched-e2e-retry-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}:latest";
        var folder = Directory.CreateTempSubdirectory("sched-e2e-retry-");
        string? killed = null;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "payload"), RandomNumberGenerator.GetBytes(LargePayloadBytes));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Containerfile"), "FROM localhost/sched-test-busybox:latest\nCOPY payload /payload\n");
            Assert.True((await cluster.Store("node2").Podman("build", "-q", "-t", image, folder.FullName)) is { ExitCode: 0 } build, "build on node2");
            var archive = Path.Combine(folder.FullName, "image.tar");
            Assert.Equal(0, (await cluster.Store("node2").Podman("save", "-o", archive, image)).ExitCode);
            Assert.Equal(0, (await cluster.Store("node3").Podman("load", "-q", "-i", archive)).ExitCode);
            Assert.Equal(["node2", "node3"], (await ImageIdsByNode(image)).Keys);
            // Both must be known holders before the copy starts: a store loaded a moment ago is reported at the agent's next probe.
            await Wait.Until(async () => (await cluster.HoldersOf(image)).SequenceEqual(["node2", "node3"]), Patience,
                "the scheduler knowing node2 and node3 hold the image", async () => string.Join(", ", await cluster.HoldersOf(image)));

            var run = await cluster.Sched("run", image, "--memory", "64Mi", "--cpus", "0.1", "--constraint", "node == node1", "--detach",
                "--", "sh", "-c", $"test $(wc -c < /payload) -eq {LargePayloadBytes}");
            var jobId = SchedOutput.JobIdOf(run);
            await StoppedAfterwards(jobId, async () =>
            {
                // The kill follows node1's log line that the copy began (its offer came, with the byte count), not a
                // status poll: a CLI round trip took long enough here for a 162 MB copy to finish first.
                var began = "";
                await Wait.Until(() => Task.FromResult(FetchingFrom().IsMatch(began = string.Join("\n", cluster.LogLines("node1", $"fetching image {image}")))),
                    Patience, "node1 starting to fetch the image", () => Task.FromResult(began), interval: TimeSpan.FromMilliseconds(20));
                killed = FetchingFrom().Match(began).Groups["node"].Value;
                await cluster.KillAgent(killed);
                output.WriteLine($"killed {killed}'s agent once node1 logged: {began}");

                await Wait.Until(async () => (await cluster.Job(jobId)).GetProperty("status").GetString() == "complete", Patience,
                    "the job complete, its shard succeeded on node1", async () => (await cluster.Job(jobId)).ToString());
                var other = killed == "node2" ? "node3" : "node2";
                Assert.Contains(cluster.LogLines("node1", "fetched image"), l => l.Contains(image, StringComparison.Ordinal) && l.Contains(other, StringComparison.Ordinal));
                var ids = await ImageIdsByNode(image);
                Assert.Equal(ids[other], ids["node1"]);
                output.WriteLine(string.Join("\n", cluster.LogLines("node1", "image")));
            });
        }
        finally
        {
            folder.Delete(recursive: true);
            if (killed is not null)
            {
                await cluster.Start(killed);
            }

            await RemoveImageEverywhere(image);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"bytes\) from (?<node>node[23])$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex FetchingFrom();
}
