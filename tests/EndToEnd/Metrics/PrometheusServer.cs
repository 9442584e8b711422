using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Sched.EndToEnd.Metrics;

/// <summary>
/// A real Prometheus server (Debian's package, deploy/lib/install-prometheus.sh) on a free loopback port, with a
/// temporary config that scrapes one target every second and a temporary TSDB; stopped and removed on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Process _process;
    private readonly HttpClient _http;

    private PrometheusServer(string dir, Process process, Uri address, CapturedOutput log)
    {
        _dir = dir;
        _process = process;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        Log = log;
    }

    public CapturedOutput Log { get; }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) at /metrics as job "sched", and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        var dir = Directory.CreateTempSubdirectory("sched-e2e-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: sched
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = Ports.FreeLoopback();
        var log = new CapturedOutput(Path.Combine(dir, "prometheus.log"));
        string[] args = [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}"];
        var process = Processes.Start(Tool("prometheus"), args, log, workingDirectory: dir);
        var server = new PrometheusServer(dir, process, new Uri($"http://127.0.0.1:{port}/"), log);
        await Wait.Until(server.IsReady, what: "prometheus ready", observed: () => Task.FromResult(log.ToString()));
        return server;
    }

    /// <summary>An instant query through the HTTP API; returns the <c>data.result</c> array (empty if nothing matched).</summary>
    public async Task<IReadOnlyList<JsonElement>> Query(string expr)
    {
        using var response = await _http.GetAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(expr)}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"query {expr}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        return doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.Clone()).ToList();
    }

    /// <summary>A tool from the prometheus package; says how to get it when it is missing.</summary>
    public static string Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"{name} is not installed; run deploy/lib/install-prometheus.sh (as root)", name);
    }

    public ValueTask DisposeAsync()
    {
        Reaper.Kill(_process, entireProcessTree: true);
        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<bool> IsReady()
    {
        if (_process.HasExited)
        {
            Assert.Fail($"prometheus exited with {_process.ExitCode}:\n{Log}");
        }

        try
        {
            using var response = await _http.GetAsync(new Uri("-/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
