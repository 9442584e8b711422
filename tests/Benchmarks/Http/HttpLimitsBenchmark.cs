using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Sched.Benchmarks.Http;

/// <summary>
/// What hostile HTTP input costs a real agent (issue 14, acceptance 4): the answer and its latency for a 2 MiB body,
/// YAML nested 20,000 deep and an alias bomb, with the agent's RSS before and after; then a log-follow client that
/// reads 1 byte a second while the shard prints 1 MB a second, with the agent's RSS sampled every second.
/// </summary>
public static class HttpLimitsBenchmark
{
    private const string Image = "sched-test-busybox";

    public static async Task<IReadOnlyList<FigureRow>> Run(bool quick, TextWriter output, Uri address, string token, int agentPid)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var rows = new List<FigureRow>();
        rows.AddRange(await HostileBodies(http, quick ? 1 : 5, output, agentPid));
        rows.Add(await SlowLogReader(http, address, token, TimeSpan.FromSeconds(quick ? 8 : 60), output, agentPid));
        return rows;
    }

    private static async Task<IEnumerable<FigureRow>> HostileBodies(HttpClient http, int repetitions, TextWriter output, int pid)
    {
        (string Name, string Body, HttpStatusCode Expected)[] bodies =
        [
            ("2 MiB body", "image: x\nenv:\n  BIG: \"" + new string('x', 2 * 1024 * 1024) + "\"\n", HttpStatusCode.RequestEntityTooLarge),
            ("YAML nested 20,000 deep", "image: x\ncommand: " + new string('[', 20_000) + new string(']', 20_000) + "\n", HttpStatusCode.BadRequest),
            ("YAML alias bomb (9^10)", AliasBomb(), HttpStatusCode.BadRequest),
        ];
        foreach (var (_, body, _) in bodies)
        {
            await Post(http, body); // warm-up: JIT, connection
        }

        var before = ProcessMemory.RssMb(pid);
        var worst = 0.0;
        var wrong = new List<string>();
        foreach (var (name, body, expected) in bodies)
        {
            var times = new List<double>();
            for (var i = 0; i < repetitions; i++)
            {
                var clock = Stopwatch.StartNew();
                var status = await Post(http, body);
                times.Add(clock.Elapsed.TotalMilliseconds);
                if (status != expected)
                {
                    wrong.Add($"{name}: {(int)status}, expected {(int)expected}");
                }
            }

            worst = Math.Max(worst, times.Max());
            output.WriteLine($"http limits: {name} -> {(int)expected}: {string.Join(" ", times.Select(t => $"{t:0.0}"))} ms; RSS now {ProcessMemory.RssMb(pid):0.0} MB");
        }

        var after = ProcessMemory.RssMb(pid);
        output.WriteLine($"http limits: agent RSS {before:0.0} MB before, {after:0.0} MB after ({after - before:+0.0;-0.0} MB)");
        return
        [
            new FigureRow("hostile body answered (413/400), worst", wrong.Count == 0 ? $"{worst:0} ms" : string.Join("; ", wrong), "<= 100 ms", wrong.Count == 0 && worst <= 100, "issue: 1.9 s, +34 MB"),
            new FigureRow("agent RSS change over hostile bodies", $"{after - before:+0.0;-0.0} MB", "within 10 MB", Math.Abs(after - before) <= 10, "issue: 3 MB body +53 MB"),
        ];
    }

    private static async Task<FigureRow> SlowLogReader(HttpClient http, Uri address, string token, TimeSpan duration, TextWriter output, int pid)
    {
        // 10,000 lines of 100 bytes, then a second's sleep: about 1 MB a second.
        var line = new string('x', 99);
        var manifest = JsonSerializer.Serialize(new
        {
            name = "bench-loud",
            image = Image,
            type = "service",
            resources = new { memory = "32Mi", cpus = 0.2 },
            command = new[] { "sh", "-c", $"while true; do yes {line} | head -n 10000; sleep 1; done" },
        });
        using var submitted = await http.PostAsync("v1/jobs", new StringContent(manifest, Encoding.UTF8, "application/json"));
        using var created = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync());
        var job = created.RootElement.GetProperty("id").GetString()!;
        try
        {
            await UntilRunning(http, job);
            var samples = new List<double>();
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(address.Host, address.Port);
            var clientPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"GET /v1/jobs/{job}/shards/1/logs?follow=true HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {token}\r\n\r\n"));
            var one = new byte[1];
            var clock = Stopwatch.StartNew();
            TimeSpan? closedAt = null;
            while (clock.Elapsed < duration)
            {
                samples.Add(ProcessMemory.RssMb(pid));
                if (closedAt is null && !AgentHoldsConnectionTo(clientPort))
                {
                    closedAt = clock.Elapsed;
                }

                await ReadOneByte(socket, one);

                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            output.WriteLine($"http limits: slow log reader (1 B/s, shard printing ~1 MB/s) for {duration.TotalSeconds:0} s: agent RSS each second (MB): "
                + string.Join(" ", samples.Select(s => s.ToString("0", CultureInfo.InvariantCulture))));
            output.WriteLine($"http limits: the agent {(closedAt is { } at ? $"dropped the reader after {at.TotalSeconds:0} s" : "kept the reader connected")}");
            var spread = samples.Max() - samples.Min();
            return new FigureRow("agent RSS under a 1 B/s log reader", $"{samples.Min():0}-{samples.Max():0} MB ({spread:0.0} MB)", "flat (within 10 MB)", spread <= 10, "issue: unbounded relay");
        }
        finally
        {
            using var _ = await http.DeleteAsync($"v1/jobs/{job}");
        }
    }

    /// <summary>The agent's end of the connection, as the kernel lists it: the client cannot tell, its buffer still holds what came before.</summary>
    private static bool AgentHoldsConnectionTo(int clientPort)
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", ["-tnH", "state", "established", $"( dport = :{clientPort} )"]) { RedirectStandardOutput = true })!;
        var listed = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        return listed.Trim().Length > 0;
    }

    /// <summary>A byte a second, as a frozen terminal might; after the agent closed, what the kernel still holds, then nothing.</summary>
    private static async Task ReadOneByte(Socket socket, byte[] one)
    {
        try
        {
            using var moment = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await socket.ReceiveAsync(one, moment.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
        }
    }

    private static async Task UntilRunning(HttpClient http, string job)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var view = JsonDocument.Parse(await http.GetStringAsync($"v1/jobs/{job}"));
            if (view.RootElement.GetProperty("shards")[0].GetProperty("status").GetString() == "running")
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"job {job}'s shard did not run within 60 s");
    }

    private static async Task<HttpStatusCode> Post(HttpClient http, string yaml)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        request.Headers.ExpectContinue = true; // as curl does for a large body
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }

    private static string AliasBomb()
    {
        var bomb = new StringBuilder("image: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            bomb.Append(CultureInfo.InvariantCulture, $"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        return bomb.ToString();
    }
}
