using System.Security.Cryptography;

namespace Sched.EndToEnd;

/// <summary>Images built on one node run on every node: the agents copy them between their podman stores (issue 16).</summary>
public sealed partial class LocalClusterSpecs
{
    /// <summary>A few MB of layer above the busybox test image, so the copy is more than one chunk's worth.</summary>
    private const int PayloadBytes = 4 * 1024 * 1024;

    [Fact]
    public async Task An_image_only_in_node1s_store_runs_seven_shards_on_all_three_nodes_with_the_same_image_id_everywhere()
    {
        await OnlyTheInitialNodesAreUp();
        var image = await BuildImageOnlyOn("node1");
        try
        {
            var run = await cluster.Sched("run", image, "--shards", "7", "--memory", "64Mi", "--cpus", "0.1", "--", "sh", "-c", $"test $(wc -c < /payload) -eq {PayloadBytes}");

            var jobId = SchedOutput.JobIdOf(run);
            await StoppedAfterwards(jobId, async () =>
            {
                Assert.True(run.ExitCode == 0, run.ToString());
                var stores = await ContainersByNode(jobId);
                Assert.True(stores.Values.All(c => c.Count > 0), $"shards on every node: {Describe(stores)}");
                AssertEachShardRanOnce(stores, 7);

                var ids = await ImageIdsByNode(image);
                Assert.True(ids.Values.Distinct().Count() == 1, string.Join(", ", ids.Select(i => $"{i.Key} {i.Value}")));
                foreach (var node in new[] { "node2", "node3" })
                {
                    Assert.Contains(cluster.LogLines(node, "fetched image"), l => l.Contains(image, StringComparison.Ordinal) && l.Contains(ids["node1"], StringComparison.Ordinal));
                }

                output.WriteLine(string.Join("\n", new[] { "node2", "node3" }.SelectMany(n => cluster.LogLines(n, "fetched image"))));
            });
        }
        finally
        {
            await RemoveImageEverywhere(image);
        }
    }

    [Fact]
    public async Task An_image_no_node_holds_and_no_registry_serves_fails_each_shard_once_at_once_naming_the_nodes_and_the_registry()
    {
        await OnlyTheInitialNodesAreUp();
        var image = $"localhost/sched-e2e-nowhere-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}:latest";

        var run = await cluster.Sched("run", image, "--shards", "2", "--memory", "32Mi", "--cpus", "0.1", "--restart", "on-failure:3");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            var shards = (await cluster.Job(jobId)).GetProperty("shards").EnumerateArray().ToList();
            Assert.Equal(2, shards.Count);
            foreach (var shard in shards)
            {
                var reason = shard.GetProperty("reason").GetString() ?? "";
                Assert.True(shard.GetProperty("attempt").GetInt32() == 1, $"failed at the first attempt, not retried: {shard}");
                Assert.Contains("image-unavailable", reason, StringComparison.Ordinal);
                Assert.Contains("none of node1, node2, node3 holds it", reason, StringComparison.Ordinal);
                Assert.Contains("localhost", reason[reason.IndexOf(", and ", StringComparison.Ordinal)..], StringComparison.Ordinal);
            }

            output.WriteLine(run.Stdout);
        });
    }

    [Fact]
    public async Task An_image_of_another_architecture_is_refused_before_it_is_copied()
    {
        await OnlyTheInitialNodesAreUp();
        var image = await ImportArm64ImageOnlyOn("node1");
        try
        {
            var run = await cluster.Sched("run", image, "--shards", "2", "--memory", "32Mi", "--cpus", "0.1", "--constraint", "node != node1");

            var jobId = SchedOutput.JobIdOf(run);
            await StoppedAfterwards(jobId, async () =>
            {
                Assert.True(run.ExitCode == 1, run.ToString());
                foreach (var shard in (await cluster.Job(jobId)).GetProperty("shards").EnumerateArray())
                {
                    var reason = shard.GetProperty("reason").GetString() ?? "";
                    Assert.Equal(1, shard.GetProperty("attempt").GetInt32());
                    Assert.Matches(@"image-unavailable: image \S+ is arm64 on node1; this node \(node[23]\) is amd64, so it was not copied", reason);
                }

                Assert.DoesNotContain(cluster.LogLines("node1", "sending image"), l => l.Contains(image, StringComparison.Ordinal));
                Assert.Equal(["node1"], (await ImageIdsByNode(image)).Keys);
            });
        }
        finally
        {
            await RemoveImageEverywhere(image);
        }
    }

    /// <summary>An image that says it is for arm64 (its one file never runs), imported into one node's store.</summary>
    private async Task<string> ImportArm64ImageOnlyOn(string node)
    {
        var name = $"localhost/sched-e2e-arm64-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}:latest";
        var folder = Directory.CreateTempSubdirectory("sched-e2e-image-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "hello"), "not a program\n");
            var tar = Path.Combine(folder.FullName, "root.tar");
            await Processes.Must("tar", "-C", folder.FullName, "-cf", tar, "hello");
            var import = await cluster.Store(node).Podman("import", "-q", "--arch", "arm64", tar, name);
            Assert.True(import.ExitCode == 0, import.ToString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        return name;
    }

    /// <summary>Builds an image with its own name (so no other test or run has it) in one node's store, FROM the busybox test image.</summary>
    private async Task<string> BuildImageOnlyOn(string node)
    {
        var name = $"localhost/sched-e2e-peer-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}:latest";
        var context = Directory.CreateTempSubdirectory("sched-e2e-image-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(context.FullName, "payload"), RandomNumberGenerator.GetBytes(PayloadBytes));
            await File.WriteAllTextAsync(Path.Combine(context.FullName, "Containerfile"), "FROM localhost/sched-test-busybox:latest\nCOPY payload /payload\n");
            var build = await cluster.Store(node).Podman("build", "-q", "-t", name, context.FullName);
            Assert.True(build.ExitCode == 0, build.ToString());
        }
        finally
        {
            context.Delete(recursive: true);
        }

        var ids = await ImageIdsByNode(name);
        Assert.True(ids.Keys.SequenceEqual([node]), $"{name} only in {node}'s store: {string.Join(", ", ids.Keys)}");
        return name;
    }

    private async Task<SortedDictionary<string, string>> ImageIdsByNode(string image)
    {
        var ids = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in cluster.Nodes)
        {
            var inspect = await cluster.Store(node).Podman("image", "inspect", "--format", "{{.Id}}", image);
            if (inspect.ExitCode == 0)
            {
                ids[node] = inspect.Stdout.Trim();
            }
        }

        return ids;
    }

    private async Task RemoveImageEverywhere(string image)
    {
        foreach (var node in cluster.Nodes)
        {
            await cluster.Store(node).Podman("rmi", "--force", image);
        }
    }
}
