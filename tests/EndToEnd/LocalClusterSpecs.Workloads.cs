using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sched.EndToEnd;

/// <summary>
/// Real workloads on the shared cluster: data in and out through bind mounts, per-shard arguments, ports and the rest
/// of `podman run`. The cluster's agents allow bind mounts under <see cref="Cluster.HostData"/> only. Its nodes share
/// one machine, so each node's "own disk" is a directory of its name there, reached through ${SCHED_NODE}.
/// </summary>
public sealed partial class LocalClusterSpecs
{
    [Fact]
    public async Task Seven_shards_read_their_part_from_a_bind_mount_and_write_their_output_on_whichever_node_ran_them()
    {
        await OnlyTheInitialNodesAreUp();
        var data = cluster.HostData;
        foreach (var node in Cluster.InitialNodeNames)
        {
            Directory.CreateDirectory(Path.Combine(data, node, "in"));
            foreach (var shard in Enumerable.Range(1, 7))
            {
                await File.WriteAllTextAsync(Path.Combine(data, node, "in", $"part-{shard}"), $"part {shard} of seven\n");
            }
        }

        // The output name is an argument, not shell text: only sched's interpolation can make it /out/3.txt.
        var run = await cluster.Sched(
            "run", "my-processor", "--shards", "7", "--memory", "64Mi", "--cpus", "0.1",
            "-v", $"{data}/${{SCHED_NODE}}/in/part-${{SHARD}}:/in/part:ro", "-v", $"{data}/${{SCHED_NODE}}/out:/out",
            "--", "sh", "-c", "tr a-z A-Z < /in/part > \"$0\"", "/out/${SHARD}.txt");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var ranOn = ShardToNode(await ContainersByNode(jobId));
            var outputs = Cluster.InitialNodeNames
                .Where(node => Directory.Exists(Path.Combine(data, node, "out")))
                .SelectMany(node => Directory.GetFiles(Path.Combine(data, node, "out")).Select(file => (Node: node, File: file)))
                .ToList();

            Assert.Equal(Enumerable.Range(1, 7).Select(s => $"{s}.txt"), outputs.Select(o => Path.GetFileName(o.File)).Order(StringComparer.Ordinal));
            foreach (var (node, file) in outputs)
            {
                var shard = int.Parse(Path.GetFileNameWithoutExtension(file), CultureInfo.InvariantCulture);
                Assert.Equal($"PART {shard} OF SEVEN\n", await File.ReadAllTextAsync(file));
                Assert.Equal(ranOn[shard], node);
            }

            output.WriteLine(string.Join("\n", outputs.Select(o => $"{o.Node}: {o.File}")));
        });
    }

    [Fact]
    public async Task A_host_path_outside_the_allowed_roots_is_refused_naming_the_field_and_the_roots_and_nothing_is_stored()
    {
        await OnlyTheInitialNodesAreUp();
        var jobsBefore = (await cluster.Sched("jobs")).Stdout;

        var run = await cluster.Sched("run", "my-processor", "--name", "etc-reader", "-v", "/etc:/x", "--detach");
        var post = await cluster.Http.PostAsync(
            new Uri(new Uri(cluster.Address), "v1/jobs"),
            new StringContent("image: my-processor\nname: etc-reader\nvolumes: [\"/etc:/x\"]\n", null, "application/yaml"));
        var problem = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement;

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("volumes[0]", run.ToString(), StringComparison.Ordinal);
        Assert.Contains(cluster.HostData, run.ToString(), StringComparison.Ordinal);
        Assert.Equal(400, (int)post.StatusCode);
        var message = problem.GetProperty("errors").GetProperty("volumes[0]")[0].GetString()!;
        Assert.Contains("/etc", message, StringComparison.Ordinal);
        Assert.Contains(cluster.HostData, message, StringComparison.Ordinal);
        Assert.Equal(jobsBefore, (await cluster.Sched("jobs")).Stdout);
        Assert.DoesNotContain("etc-reader", jobsBefore, StringComparison.Ordinal);
        output.WriteLine(run.ToString());
    }

    [Fact]
    public async Task Shard_args_from_a_file_of_five_lines_run_five_shards_each_seeing_its_own_line()
    {
        await OnlyTheInitialNodesAreUp();
        var file = Path.Combine(cluster.Root, "shard-args.txt");
        await File.WriteAllLinesAsync(file, ["alpha one", "bravo two", "", "charlie three", "delta four", "echo five"]);

        var run = await cluster.Sched(
            "run", "my-processor", "--memory", "64Mi", "--cpus", "0.1", "--shard-args-from", file, "--", "sh", "-c", "echo \"shard $SHARD: $*\"", "line");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var containers = (await ContainersByNode(jobId)).Values.SelectMany(c => c).ToList();
            Assert.Equal(5, containers.Count);
            string[] lines = ["alpha one", "bravo two", "charlie three", "delta four", "echo five"];
            foreach (var shard in Enumerable.Range(1, 5))
            {
                var logs = await cluster.Sched("logs", jobId, "--shard", $"{shard}");
                Assert.Equal($"shard {shard}: {lines[shard - 1]}", logs.Stdout.Trim());
            }
        });
    }

    [Fact]
    public async Task Pids_limit_read_only_user_and_workdir_are_on_the_container_of_every_shard()
    {
        await OnlyTheInitialNodesAreUp();
        var run = await cluster.Sched(
            "run", "my-processor", "--shards", "3", "--memory", "64Mi", "--cpus", "0.1",
            "--pids-limit", "32", "--read-only", "--user", "1000", "--workdir", "/w", "--tmpfs", "/w",
            "--", "sh", "-c", "id -u; pwd; touch /should-fail 2>/dev/null && echo writable || echo read-only");

        var jobId = SchedOutput.JobIdOf(run);
        await StoppedAfterwards(jobId, async () =>
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var containers = (await ContainersByNode(jobId)).Values.SelectMany(c => c).ToList();
            Assert.Equal(3, containers.Count);
            foreach (var container in containers)
            {
                var host = container.Inspected.GetProperty("HostConfig");
                var config = container.Inspected.GetProperty("Config");
                Assert.Equal(32, host.GetProperty("PidsLimit").GetInt64());
                Assert.True(host.GetProperty("ReadonlyRootfs").GetBoolean(), container.Name);
                Assert.Equal("1000", config.GetProperty("User").GetString());
                Assert.Equal("/w", config.GetProperty("WorkingDir").GetString());
                var logs = await cluster.Sched("logs", jobId, "--shard", $"{container.Shard}");
                Assert.Equal(["1000", "/w", "read-only"], logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        });
    }

    [Fact]
    public async Task A_dynamic_port_service_answers_on_the_port_sched_status_reports()
    {
        await OnlyTheInitialNodesAreUp();
        var run = await cluster.Sched(
            "run", "sched-test-busybox", "--type", "service", "--memory", "32Mi", "--cpus", "0.1", "-p", "80", "--detach", "--",
            "sh", "-c", "mkdir -p /tmp/www && echo \"shard $SHARD on $SCHED_NODE, host port $SCHED_PORT_80\" > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        await StoppedAfterwards(jobId, async () =>
        {
            var status = "";
            await Wait.Until(
                async () => PortLine().IsMatch(status = (await cluster.Sched("status", jobId)).Stdout),
                Patience, "sched status showing the running shard's host port", () => Task.FromResult(status));
            var shown = PortLine().Match(status);
            var (node, port) = (shown.Groups["node"].Value, shown.Groups["port"].Value);

            // The host port is reached at the gateway of the container's podman network: an address of the bridge
            // this node's podman made on this machine (127.0.0.1 would need route_localnet; no outside address is used).
            var container = Assert.Single(await cluster.ContainersOfJob(node, jobId), c => c.Running);
            var url = $"http://{GatewayOf(container.Inspected)}:{port}/";
            ProcessResult? curl = null;
            await Wait.Until(
                async () => (curl = await Processes.RunAsync("curl", ["-s", "-m", "5", url])).ExitCode == 0,
                TimeSpan.FromSeconds(60), $"curl {url}", () => Task.FromResult(curl?.ToString() ?? ""));
            Assert.Equal($"shard 1 on {node}, host port {port}", curl!.Stdout.Trim());
            var api = (await cluster.Job(jobId)).GetProperty("shards")[0].GetProperty("ports").GetProperty("80/tcp").GetInt32();
            Assert.Equal(port, api.ToString(CultureInfo.InvariantCulture));
            output.WriteLine($"{status}\ncurl {url}: {curl.Stdout}");
        });
    }

    /// <summary>
    /// The nodes of this cluster share one machine, and so its ports: node5 and node6 publish on addresses of their
    /// own (127.0.0.5, 127.0.0.6), as separate boards would, so both can hold the same host port. A constraint keeps
    /// the job on those two. They are stopped again at the end.
    /// </summary>
    [Fact]
    public async Task A_fixed_host_port_takes_one_shard_per_node_and_the_third_shard_waits_with_the_port_as_its_reason()
    {
        await OnlyTheInitialNodesAreUp();
        string[] nodes = ["node5", "node6"];
        foreach (var node in nodes)
        {
            await cluster.Start(node, "--publish-address", $"127.0.0.{node[^1]}", "--label", "ports=own", "--reserve-cpus", "0");
        }

        try
        {
            var hostPort = Ports.FreeLoopback();
            var jobId = await cluster.RunService(3, "-p", $"{hostPort}:80", "--constraint", "ports == own");
            await StoppedAfterwards(jobId, async () =>
            {
                var status = "";
                await Wait.Until(
                    async () => Regex.Count(status = (await cluster.Sched("status", jobId)).Stdout, @"(?m)^\d\s+node[56]\s+running\b") == 2
                        && status.Contains($"host port {hostPort}/tcp is in use on 2 nodes (node5, node6)", StringComparison.Ordinal),
                    Patience, "two shards running on node5 and node6 and the third pending for the port", () => Task.FromResult(status));
                Assert.Matches(@"(?m)^\d\s+-?\s*pending\s", status);

                foreach (var node in nodes)
                {
                    var running = Assert.Single(await cluster.ContainersOfJob(node, jobId), c => c.Running);
                    var binding = running.Inspected.GetProperty("HostConfig").GetProperty("PortBindings").GetProperty("80/tcp")[0];
                    Assert.Equal(($"127.0.0.{node[^1]}", $"{hostPort}"), (binding.GetProperty("HostIp").GetString(), binding.GetProperty("HostPort").GetString()));
                }

                output.WriteLine(status);
            });
        }
        finally
        {
            foreach (var node in nodes)
            {
                await cluster.Stop(node);
            }
        }
    }

    /// <summary>The gateway of the container's network: the host's end of the bridge its podman made.</summary>
    private static string GatewayOf(JsonElement inspected)
    {
        var settings = inspected.GetProperty("NetworkSettings");
        if (settings.TryGetProperty("Gateway", out var gateway) && gateway.GetString() is { Length: > 0 } address)
        {
            return address;
        }

        return settings.GetProperty("Networks").EnumerateObject().Select(n => n.Value.GetProperty("Gateway").GetString()).First(g => !string.IsNullOrEmpty(g))!;
    }

    [GeneratedRegex(@"(?m)^1\s+(?<node>node\d)\s+running\s+1\s+\S+\s+(?<port>\d+)->80/tcp")]
    private static partial Regex PortLine();
}
