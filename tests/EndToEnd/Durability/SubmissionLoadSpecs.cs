using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// Acceptance 4: 1,000 submissions, 50 at a time (SCHED_LOAD_CONCURRENCY), on loopback against a dev agent. Every one is answered with a 201
/// or a problem document; every 201 survives a SIGKILL of the agent; re-sent submissions with the same
/// Idempotency-Key return the same job and add none. The jobs ask for 100Ti of memory, so they wait as pending
/// and no container starts: this measures submission and durability, not podman.
/// </summary>
[Collection(DurableDevAgentCollection.Name)]
public sealed class SubmissionLoadSpecs(PrivatePodman store, ITestOutputHelper output)
{
    private const int Submissions = 1_000;
    /// <summary>Requests in flight at once: 50, or SCHED_LOAD_CONCURRENCY.</summary>
    private static readonly int Concurrency =
        int.TryParse(Environment.GetEnvironmentVariable("SCHED_LOAD_CONCURRENCY"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 50;
    private const int Resent = 100;
    private readonly Figures _figures = new(output, "load");

    [Fact]
    public async Task A_thousand_concurrent_submissions_are_each_answered_survive_a_sigkill_and_never_duplicate_on_retry()
    {
        await using var agent = DevAgent.On(store, "dur-load");
        await agent.StartAsync();
        using var http = new HttpClient(new BearerTokenHandler(agent.TokenFile, new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency })) { Timeout = TimeSpan.FromMinutes(3) };
        var address = new Uri(agent.Address);
        var keys = Enumerable.Range(0, Submissions).Select(i => $"load-{i:0000}-{Guid.NewGuid():n}").ToList();

        var cpuBefore = agent.CpuTime();
        var clock = Stopwatch.StartNew();
        var answers = await Send(http, address, keys);
        var took = clock.Elapsed;
        var cpu = agent.CpuTime() - cpuBefore;

        var created = answers.Where(a => a.Value.Created).ToDictionary(a => a.Key, a => a.Value.JobId!);
        var latencies = answers.Values.Select(a => a.Took.TotalMilliseconds).Order().ToList();
        _figures.Print(string.Create(CultureInfo.InvariantCulture,
            $"{Submissions} submissions, {Concurrency} at a time: {Figures.S(took)}, {Submissions / took.TotalSeconds:0.0} submissions/s; "
            + $"latency p50 {Figures.Ms(Percentile(latencies, 0.50))}, p99 {Figures.Ms(Percentile(latencies, 0.99))}, max {Figures.Ms(latencies[^1])}; "
            + $"answers: {string.Join(", ", answers.Values.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"))}; "
            + $"the agent used {Figures.S(cpu)} of CPU meanwhile; machine load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        foreach (var odd in answers.Values.Where(a => !a.Created).DistinctBy(a => (a.Status, a.Body.Split("traceId")[0])).Take(5))
        {
            _figures.Print($"not created: {(int)odd.Status} {odd.MediaType} {odd.Body}");
        }

        Assert.All(answers.Values, a => Assert.True(a.Created || a.IsProblem, $"neither 201 nor a problem document: {(int)a.Status} {a.MediaType} {a.Body}"));
        Assert.Equal(created.Count, created.Values.Distinct().Count());
        Assert.True(created.Count > 0, "no submission was accepted");

        // What a client does with an error: send it again with the same key. Then every key has its one job.
        var refused = keys.Where(k => !created.ContainsKey(k)).ToList();
        var resendStarted = DateTimeOffset.Now;
        var resentBefore = await Resend(http, address, [.. keys.Take(Resent), .. refused], created);
        var createdAnyway = refused.Count(k => resentBefore.SubmittedAt[k] < resendStarted);
        if (refused.Count > 0)
        {
            _figures.Print($"{createdAnyway} of the {refused.Count} refused submissions had created their job all the same (submitted before the retry)");
        }

        foreach (var key in refused)
        {
            created[key] = resentBefore.Ids[key];
        }

        Assert.Equal(created.Count, created.Values.Distinct().Count());

        var listed = await agent.Jobs();
        var countBefore = listed.Count;
        Assert.Subset(listed.Select(j => j.GetProperty("id").GetString()!).ToHashSet(), created.Values.ToHashSet());
        Assert.Equal(Submissions, countBefore);

        agent.Kill();
        var restartTook = await agent.StartAsync();
        var recovered = (await agent.Jobs()).Select(j => j.GetProperty("id").GetString()!).ToHashSet();
        var missing = created.Values.Where(id => !recovered.Contains(id)).ToList();
        _figures.Print($"SIGKILL and restart: up after {Figures.S(restartTook)}; {recovered.Count} jobs listed, {created.Count} were created (201), {missing.Count} of them missing"
            + (missing.Count == 0 ? "" : $": {string.Join(", ", missing.Take(10))}"));
        Assert.Empty(missing);
        Assert.Equal(countBefore, recovered.Count);

        var resentAfter = await Resend(http, address, keys.Skip(Submissions - Resent).ToList(), created);
        var countAfter = (await agent.Jobs()).Count;
        _figures.Print($"re-sent {Resent} keys and the {refused.Count} refused ones before the kill: {resentBefore.Summary}; {Resent} other keys after the restart: {resentAfter.Summary}; "
            + $"jobs {countBefore} before, {countAfter} after");
        Assert.Equal(countBefore, countAfter);
    }

    /// <summary>Posts one job per key, <see cref="Concurrency"/> at a time; key → answer (a timeout or a refused connection fails the test).</summary>
    private static async Task<IReadOnlyDictionary<string, SubmitAnswer>> Send(HttpClient http, Uri address, IReadOnlyList<string> keys)
    {
        var answers = new ConcurrentDictionary<string, SubmitAnswer>();
        using var gate = new SemaphoreSlim(Concurrency);
        await Task.WhenAll(keys.Select(async key =>
        {
            await gate.WaitAsync();
            try
            {
                answers[key] = await Durability.Submissions.Post(http, address, Durability.Submissions.Waiter(key[.."load-0000".Length]), key);
            }
            finally
            {
                gate.Release();
            }
        }));
        return answers;
    }

    /// <summary>Sends these keys again (the same manifests); each must come back 201 with the job of its first submission.</summary>
    private static async Task<(string Summary, IReadOnlyDictionary<string, string> Ids, IReadOnlyDictionary<string, DateTimeOffset> SubmittedAt)> Resend(
        HttpClient http, Uri address, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> created)
    {
        var answers = await Send(http, address, keys);
        foreach (var (key, answer) in answers)
        {
            Assert.True(answer.Created, $"re-sent {key}: {(int)answer.Status} {answer.Body}");
            if (created.TryGetValue(key, out var first))
            {
                Assert.Equal(first, answer.JobId);
            }
        }

        var latencies = answers.Values.Select(a => a.Took.TotalMilliseconds).Order().ToList();
        return (string.Create(CultureInfo.InvariantCulture,
            $"all 201 with the first job id (p50 {Figures.Ms(Percentile(latencies, 0.50))}, p99 {Figures.Ms(Percentile(latencies, 0.99))})"),
            answers.ToDictionary(a => a.Key, a => a.Value.JobId!),
            answers.ToDictionary(a => a.Key, a => SubmittedAt(a.Value.Body)));
    }

    private static DateTimeOffset SubmittedAt(string job)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(job);
        return doc.RootElement.GetProperty("submittedAt").GetDateTimeOffset();
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
