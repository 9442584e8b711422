using System.Globalization;
using System.Text.Json;

namespace Sched.EndToEnd.Metrics;

/// <summary>
/// /metrics of a real `sched agent --dev` as an operator uses it: promtool's lint, a real Prometheus scraping it
/// and answering a query for a job's shards, and the Grafana dashboard's queries against what it exports.
/// </summary>
[Collection(DevAgentCollection.Name)]
public sealed class MetricsSpecs(DevAgent agent) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(agent.Address), Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task After_a_job_metrics_pass_promtool_check_metrics_and_count_its_shards()
    {
        var jobId = await RunSmallJob();

        var (text, contentType) = await ScrapeShowing(jobId);
        var file = Path.Combine(Directory.CreateTempSubdirectory("sched-e2e-metrics-").FullName, "metrics.txt");
        await File.WriteAllTextAsync(file, text);
        var check = await Processes.RunAsync("sh", ["-c", "\"$0\" check metrics < \"$1\"", PrometheusServer.Tool("promtool"), file]);

        Assert.True(check.ExitCode == 0 && check.Stdout.Length + check.Stderr.Length == 0, $"promtool check metrics:\n{check}");
        Assert.StartsWith("text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
        var samples = Samples(text);
        Assert.Equal(2, samples[$"sched_job_shards{{job_id=\"{jobId}\",state=\"succeeded\"}}"]);
        Assert.Equal(1, samples[$"sched_nodes{{state=\"up\"}}"]);
        Assert.Equal(1, samples["sched_scheduler_reachable"]);
        Assert.True(samples["sched_placements_total"] >= 2, text);
        Assert.True(samples[$"sched_node_allocatable_memory_bytes{{node=\"{agent.NodeName}\"}}"] > 0, text);
        Assert.True(samples["process_cpu_seconds_total"] > 0, text);
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_agent_and_answers_a_query_for_the_shards_of_a_job()
    {
        var jobId = await RunSmallJob();
        await using var prometheus = await PrometheusServer.StartAsync(new Uri(agent.Address).Authority);
        var query = $"sched_job_shards{{job_id=\"{jobId}\"}}";

        IReadOnlyList<JsonElement> shards = [];
        await Wait.Until(
            async () => (shards = await prometheus.Query(query)).Count > 0,
            what: $"prometheus answering {query}",
            observed: async () => $"{JsonSerializer.Serialize(await prometheus.Query("up"))}\n{prometheus.Log}");

        var byState = shards.ToDictionary(
            s => s.GetProperty("metric").GetProperty("state").GetString()!,
            s => s.GetProperty("value")[1].GetString());
        Assert.Equal(new Dictionary<string, string?> { ["succeeded"] = "2" }, byState);
        Assert.All(shards, s => Assert.Equal("sched", s.GetProperty("metric").GetProperty("job").GetString()));
        foreach (var expr in DashboardQueries.Exprs(await File.ReadAllTextAsync(DashboardPath)))
        {
            await prometheus.Query(DashboardQueries.Runnable(expr));
        }
    }

    [Fact]
    public async Task Every_metric_the_grafana_dashboard_queries_is_exported()
    {
        var jobId = await RunSmallJob();
        var exported = Samples((await ScrapeShowing(jobId)).Text).Keys.Select(series => series.Split('{')[0]).ToHashSet(StringComparer.Ordinal);
        var dashboard = await File.ReadAllTextAsync(DashboardPath);
        using var doc = JsonDocument.Parse(dashboard);

        var used = DashboardQueries.Exprs(dashboard).SelectMany(DashboardQueries.MetricNames).ToHashSet(StringComparer.Ordinal);

        Assert.Equal("sched-overview", doc.RootElement.GetProperty("uid").GetString());
        Assert.Contains("sched_placement_latency_seconds_bucket", used);
        Assert.Contains("process_cpu_seconds_total", used);
        Assert.Empty(used.Where(name => !exported.Contains(name)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_scrape_config_for_node1_is_valid_prometheus_config()
    {
        var path = Path.Combine(Repo.Root, "deploy", "prometheus", "scrape.yml");

        var check = await Processes.RunAsync(PrometheusServer.Tool("promtool"), ["check", "config", path]);

        Assert.True(check.ExitCode == 0, check.ToString());
        var config = await File.ReadAllTextAsync(path);
        Assert.Contains("node1.local:4080", config, StringComparison.Ordinal);
        Assert.Contains("metrics_path: /metrics", config, StringComparison.Ordinal);
        Assert.Contains("scrape_interval: 15s", config, StringComparison.Ordinal);
    }

    private static string DashboardPath => Path.Combine(Repo.Root, "deploy", "grafana", "sched-dashboard.json");

    /// <summary>Runs a two-shard batch job to its end and returns its id.</summary>
    private async Task<string> RunSmallJob()
    {
        var run = await agent.Sched("run", "sched-test-busybox", "--shards", "2", "--memory", "16Mi", "--cpus", "0.1", "--", "true");
        Assert.True(run.ExitCode == 0, run.ToString());
        return SchedOutput.JobIdOf(run);
    }

    /// <summary>A scrape that shows the job: one rendering serves every scrape for 5 s, so an earlier one may not yet.</summary>
    private async Task<(string Text, string ContentType)> ScrapeShowing(string jobId)
    {
        var scrape = (Text: "", ContentType: "");
        await Wait.Until(
            async () => (scrape = await Scrape()).Text.Contains($"job_id=\"{jobId}\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), $"a scrape showing {jobId}", () => Task.FromResult(scrape.Text));
        return scrape;
    }

    private async Task<(string Text, string ContentType)> Scrape()
    {
        using var response = await _http.GetAsync(new Uri("metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString() ?? "");
    }

    /// <summary>Each sample line's series (name and labels) and value.</summary>
    private static Dictionary<string, double> Samples(string text) =>
        text.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
