using System.Security.Cryptography;

namespace Sched.EndToEnd;

/// <summary>
/// Issue 16 acceptance 2: an image built on the machine where the CLI runs (this machine's own podman store, which
/// no node of the cluster uses) is pushed with `sched image push`; a 7-shard run then succeeds on every node.
/// </summary>
public sealed partial class LocalClusterSpecs
{
    [Fact]
    public async Task An_image_pushed_from_the_cli_machine_runs_on_every_node_with_the_same_image_id()
    {
        await OnlyTheInitialNodesAreUp();
        var image = $"localhost/sched-e2e-pushed-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}:latest";
        var context = Directory.CreateTempSubdirectory("sched-e2e-push-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(context.FullName, "payload"), RandomNumberGenerator.GetBytes(PayloadBytes));
            await File.WriteAllTextAsync(Path.Combine(context.FullName, "Containerfile"), "FROM localhost/sched-test-busybox:latest\nCOPY payload /payload\n");
            var build = await Processes.RunAsync("podman", ["build", "-q", "--pull=never", "-t", image, context.FullName]);
            Assert.True(build.ExitCode == 0, build.ToString());
            var built = (await Processes.RunAsync("podman", ["image", "inspect", "--format", "{{.Id}}", image])).Stdout.Trim();
            Assert.Empty(await ImageIdsByNode(image));

            var push = await cluster.Sched("image", "push", image);
            Assert.True(push.ExitCode == 0, push.ToString());
            Assert.Matches($"^pushed {System.Text.RegularExpressions.Regex.Escape(image)} \\((amd64|arm64)\\) to node\\d in ", push.Stdout);

            var run = await cluster.Sched("run", image, "--shards", "7", "--memory", "64Mi", "--cpus", "0.1", "--", "sh", "-c", $"test $(wc -c < /payload) -eq {PayloadBytes}");
            var jobId = SchedOutput.JobIdOf(run);
            await StoppedAfterwards(jobId, async () =>
            {
                Assert.True(run.ExitCode == 0, run.ToString());
                var stores = await ContainersByNode(jobId);
                Assert.True(stores.Values.All(c => c.Count > 0), $"shards on every node: {Describe(stores)}");
                var ids = await ImageIdsByNode(image);
                Assert.Equal(Cluster.InitialNodeNames, ids.Keys.Where(Cluster.InitialNodeNames.Contains));
                Assert.All(ids.Values, id => Assert.Equal(built, id));
                output.WriteLine(push.Stdout);
            });
        }
        finally
        {
            context.Delete(recursive: true);
            await Processes.RunAsync("podman", ["rmi", "-f", image]);
            await RemoveImageEverywhere(image);
        }
    }
}
