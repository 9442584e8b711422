using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Deploy;

/// <summary>
/// The linux-arm64 build of deploy/publish.sh really runs: `sched --version`, and `sched agent --dev` answering
/// /healthz and reporting itself as an arm64 node, then stopping on SIGTERM as systemd stops it. Under qemu
/// everything is slow (the agent needs 20 s to several minutes to answer, depending on the machine's load), so
/// the timeouts are generous and every failure shows what the agent printed.
/// </summary>
[Collection(Arm64BuildCollection.Name)]
public sealed class Arm64BuildSpecs(Arm64Build build, ITestOutputHelper output)
{
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan HealthzTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan ArmNodeTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_published_sched_is_an_arm64_executable_that_prints_the_same_version_under_qemu()
    {
        Report();
        Assert.Equal(183, ElfMachine(build.Executable)); // EM_AARCH64
        var native = await Processes.RunAsync(Repo.SchedBinary, ["--version"]);

        var clock = Stopwatch.StartNew();
        var arm = await build.Run(["--version"], VersionTimeout);
        output.WriteLine($"sched --version under qemu: {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(arm.ExitCode == 0, $"{Arm64Build.Qemu} -L {build.Sysroot} {build.Executable} --version: {arm}");
        Assert.Equal(native.Stdout.Trim(), arm.Stdout.Trim());
    }

    [Fact]
    public async Task The_published_agent_answers_healthz_as_an_arm64_node_under_qemu_and_stops_on_SIGTERM()
    {
        Report();
        var dataDir = Directory.CreateTempSubdirectory("sched-arm64-").FullName;
        var log = new CapturedOutput(Path.Combine(dataDir, "agent.log"));
        var port = Ports.FreeLoopback();
        const string nodeName = "arm64-e2e";
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        var clock = Stopwatch.StartNew();
        // No podman socket: the node reports itself unhealthy, which is fine; the agent must still serve HTTP.
        using var agent = build.Start(
            ["agent", "--dev", "--http", $"127.0.0.1:{port}", "--podman-socket", "/nonexistent.sock", "--data-dir", dataDir, "--node-name", nodeName],
            log, dataDir);
        try
        {
            var body = await Poll("GET /healthz answering 200", HealthzTimeout, agent, log, async () =>
            {
                using var response = await http.GetAsync("/healthz");
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
            });
            output.WriteLine($"agent under qemu: /healthz answered after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal("ok", body.Trim());

            // The agent wrote its API token before it served /healthz.
            http.DefaultRequestHeaders.Authorization = new("Bearer", (await File.ReadAllTextAsync(Path.Combine(dataDir, "api-token"))).Trim());
            var arch = await Poll($"GET /v1/nodes listing {nodeName} with its arch label", ArmNodeTimeout, agent, log, async () =>
            {
                using var response = await http.GetAsync("/v1/nodes");
                return response.IsSuccessStatusCode ? ArchOf(await response.Content.ReadAsStringAsync(), nodeName) : null;
            });
            output.WriteLine($"agent under qemu: node {nodeName} listed after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(arch == "arm64", $"node {nodeName} has arch={arch}; the agent under qemu should see arm64:\n{log}");

            clock.Restart();
            var kill = await Processes.RunAsync("kill", ["-TERM", agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(kill.ExitCode == 0, $"kill -TERM {agent.Id}: {kill}");
            using var stop = new CancellationTokenSource(StopTimeout);
            try
            {
                await agent.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the agent did not stop within {StopTimeout.TotalSeconds:0} s of SIGTERM; its output:\n{log}");
            }

            output.WriteLine($"agent under qemu: stopped {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM");
            Assert.True(agent.ExitCode == 0, $"the agent exited with {agent.ExitCode} after SIGTERM; its output:\n{log}");
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
                await agent.WaitForExitAsync();
            }

            output.WriteLine($"--- agent output\n{log}");
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private void Report()
    {
        output.WriteLine($"arm64 sysroot {build.Sysroot} ready in {build.SysrootTime.TotalSeconds:0.0} s; deploy/publish.sh took {build.PublishTime.TotalSeconds:0.0} s:");
        output.WriteLine(build.PublishOutput);
    }

    /// <summary>Calls <paramref name="probe"/> every second until it returns a value; fails early if the agent exits.</summary>
    private static async Task<string> Poll(string what, TimeSpan timeout, Process agent, CapturedOutput log, Func<Task<string?>> probe)
    {
        string? value = null;
        var lastError = "";
        await Wait.Until(
            async () =>
            {
                if (agent.HasExited)
                {
                    Assert.Fail($"the agent exited with {agent.ExitCode} before {what}; its output:\n{log}");
                }

                try
                {
                    return (value = await probe()) is not null;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    lastError = e.Message;
                    return false;
                }
            },
            timeout, what, () => Task.FromResult($"last error: {lastError}; the agent's output:\n{log}"), TimeSpan.FromSeconds(1));
        return value!;
    }

    private static string? ArchOf(string nodesJson, string nodeName)
    {
        using var doc = JsonDocument.Parse(nodesJson);
        return doc.RootElement.EnumerateArray()
            .Where(n => n.GetProperty("name").GetString() == nodeName)
            .Select(n => n.GetProperty("labels").TryGetProperty("arch", out var arch) ? arch.GetString() : null)
            .FirstOrDefault();
    }

    /// <summary>e_machine of an ELF file (offset 18, little-endian).</summary>
    private static int ElfMachine(string path)
    {
        var header = new byte[20];
        using var file = File.OpenRead(path);
        file.ReadExactly(header);
        Assert.True(header[0] == 0x7f && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F', $"{path} is not an ELF file");
        return header[18] | (header[19] << 8);
    }
}
