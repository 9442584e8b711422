using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace Sched.EndToEnd;

/// <summary>Following a job as a person does: `sched watch` and `sched logs --follow` against a real dev agent.</summary>
[Collection(DevAgentCollection.Name)]
public sealed class WatchAndLogsSpecs(DevAgent agent, ITestOutputHelper output)
{
    [Fact]
    public async Task Watch_shows_the_placement_and_the_outcome_of_a_job_as_they_happen()
    {
        var lines = new List<(TimeSpan At, string Line)>();
        var clock = Stopwatch.StartNew();
        using var watch = new Background(StartCli(["watch"], line =>
        {
            lock (lines)
            {
                lines.Add((clock.Elapsed, line));
            }
        }));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var run = await agent.Sched("run", "my-processor", "--memory", "16Mi", "--cpus", "0.1");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Split(':')[0]["job ".Length..];

        await Eventually(() => Seen(lines, $"succeeded {jobId} shard 1/1"));
        Assert.True(Seen(lines, $"placed {jobId} shard 1/1 attempt 1 on {agent.NodeName}"), string.Join('\n', lines));
        Assert.True(Seen(lines, $"submitted {jobId}"));
        output.WriteLine(string.Join('\n', lines.Select(l => $"{l.At.TotalSeconds:0.000}s {l.Line}")));
    }

    [Fact]
    public async Task Logs_follow_prints_lines_while_the_shard_is_still_printing_them()
    {
        var run = await agent.Sched("run", "sched-test-busybox", "--memory", "16Mi", "--cpus", "0.1", "--detach",
            "--", "sh", "-c", "for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        await Eventually(async () => (await agent.Sched("status", jobId)).Stdout.Contains("running", StringComparison.Ordinal));

        var lines = new List<string>();
        using var follow = new Background(StartCli(["logs", jobId, "--shard", "1", "--follow"], line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }));
        bool Has(string line)
        {
            lock (lines)
            {
                return lines.Contains(line);
            }
        }

        await Eventually(() => Has("tick 1") || Has("tick 2"));
        var stillRunning = (await agent.Sched("status", jobId)).Stdout.Contains("running", StringComparison.Ordinal);
        await Eventually(() => Has("tick 6"));
        follow.Process.WaitForExit(30_000);

        Assert.True(stillRunning, "the first lines arrived only after the shard had finished");
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"tick {i}"), lines.Where(l => l.StartsWith("tick", StringComparison.Ordinal)).Distinct());
        var all = await agent.Sched("logs", jobId, "--shard", "1");
        Assert.Contains("tick 6", all.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Issue 18: `sched logs JOB` without --shard gives every shard's lines, each prefixed [N], live while they run.</summary>
    [Fact]
    public async Task Logs_of_a_whole_job_interleave_every_shard_s_lines_prefixed_with_its_number_and_end_with_the_job()
    {
        var run = await agent.Sched("run", "sched-test-busybox", "--shards", "3", "--memory", "16Mi", "--cpus", "0.1", "--detach",
            "--", "sh", "-c", "for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();

        var lines = new List<string>();
        using var follow = new Background(StartCli(["logs", jobId, "--follow"], line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }));
        var ended = follow.Process.WaitForExit(60_000);
        var after = await agent.Sched("logs", jobId);

        List<string> seen;
        lock (lines)
        {
            seen = [.. lines];
        }

        output.WriteLine(string.Join('\n', seen));
        Assert.True(ended, "sched logs --follow went on after the job had ended");
        var expected = from shard in Enumerable.Range(1, 3) from tick in Enumerable.Range(1, 6) select $"[{shard}] tick {tick}";
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Where(l => l.Contains("tick", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
        Assert.True(seen.IndexOf("[2] tick 1") < seen.IndexOf("[1] tick 6") && seen.IndexOf("[1] tick 1") < seen.IndexOf("[3] tick 6"),
            "the shards' lines came one shard after another, not as they were printed");
        Assert.Equal(expected, after.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("tick", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A follower whose terminal froze (it stops reading) while the shard prints about 1 MB/s: the node drops it and
    /// closes its connection while it still reads nothing. Before, the node's handler waited on a write the reader
    /// never took, holding the connection until Kestrel's minimum data rate ended it minutes later.
    /// </summary>
    [Fact]
    public async Task A_log_follower_that_stops_reading_is_disconnected_while_it_still_reads_nothing()
    {
        var run = await agent.Sched("run", "sched-test-busybox", "--name", "loud", "--type", "service", "--memory", "32Mi", "--cpus", "0.2",
            "--detach", "--", "sh", "-c", $"while true; do yes {new string('x', 99)} | head -n 10000; sleep 1; done");
        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Trim();
        try
        {
            await Eventually(async () => (await agent.Sched("status", jobId)).Stdout.Contains("running", StringComparison.Ordinal));
            var address = new Uri(agent.Address);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(address.Host, address.Port);
            var clientPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"GET /v1/jobs/{jobId}/shards/1/logs?follow=true HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {agent.Token}\r\n\r\n"));

            var took = await Wait.Until(async () => !await AgentHoldsConnectionTo(clientPort), TimeSpan.FromSeconds(60),
                "the agent closes the connection of a follower that reads nothing", () => ServerSockets(clientPort));
            output.WriteLine($"the agent closed the silent follower's connection {took.TotalSeconds:0.0} s after it asked");
        }
        finally
        {
            await agent.Sched("stop", jobId);
        }
    }

    /// <summary>The agent's end of the connection from this client port, as the kernel lists it (`ss`).</summary>
    private static async Task<bool> AgentHoldsConnectionTo(int clientPort) => (await ServerSockets(clientPort)).Trim().Length > 0;

    private static async Task<string> ServerSockets(int clientPort) =>
        (await Processes.RunAsync("ss", ["-tnH", "state", "established", $"( dport = :{clientPort} )"])).Stdout;

    private Process StartCli(string[] args, Action<string> onLine) => Processes.Start(Repo.SchedBinary, args, onLine, stderr: null, agent.CliEnvironment);

    /// <summary>A CLI process that runs alongside the test and is killed when the test ends.</summary>
    private sealed class Background(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            Reaper.Kill(Process);
            Process.Dispose();
        }
    }

    private static bool Seen(List<(TimeSpan At, string Line)> lines, string text)
    {
        lock (lines)
        {
            return lines.Any(l => l.Line.Contains(text, StringComparison.Ordinal));
        }
    }

    private static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()));

    private static Task Eventually(Func<Task<bool>> condition) => Wait.Until(condition, interval: TimeSpan.FromMilliseconds(100));
}
