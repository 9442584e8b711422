using System.Globalization;

namespace Sched.EndToEnd.Durability;

public sealed partial class SchedulerFailoverSpecs
{
    private const int FailoverJobs = 20;
    private const int PollsInFlight = 3;

    /// <summary>The acceptance's bound from the kill of node1 until `sched jobs --addr NODE2` lists every job in its state; SCHED_FAILOVER_LIST_BOUND_SECONDS overrides it.</summary>
    private static readonly TimeSpan ListingBound = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("SCHED_FAILOVER_LIST_BOUND_SECONDS"), CultureInfo.InvariantCulture, out var bound) ? bound : 15);

    /// <summary>
    /// Acceptance 2: 20 jobs (16 one-shard services, 4 batch jobs that complete), submitted to node1 and node2 in
    /// turn; node1 loses power (agent, podman service and containers SIGKILLed). node2 takes over the scheduler and
    /// lists every job in its state within the bound; node1's shards run again on node2 and node3; no shard runs
    /// twice; node2 accepts a new job.
    /// </summary>
    [Fact]
    public async Task Killing_node1_moves_the_scheduler_to_node2_which_lists_every_job_re_places_node1s_shards_once_and_accepts_a_new_job()
    {
        var figures = new Figures(output, "failover");
        await cluster.EnsureUp();
        await AssertNode2IsAScheduler();
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < FailoverJobs; i++)
        {
            var to = i % 2 == 0 ? Node1 : Node2;
            var batch = i % 5 == 4;
            var id = await Submit(to, batch
                ? Submissions.Manifest($"fo-batch-{i}", "batch", ["true"], 1, "16Mi", 0.05, restart: "never")
                : Submissions.Sleeper($"fo-service-{i}"));
            expected[id] = batch ? "complete" : "running";
        }

        var services = expected.Where(kv => kv.Value == "running").Select(kv => kv.Key).ToList();
        var before = await WaitForJobs(Node1, jobs => expected.All(kv => Is(jobs, kv.Key, kv.Value, running: kv.Value == "running" ? 1 : 0)),
            "20 jobs: services running, batch jobs complete");
        var onNode1 = before.Where(j => services.Contains(j.Id) && j.Shards.Single().Node == "node1").Select(j => j.Id).ToList();
        figures.Print($"before: {string.Join(", ", before.Where(j => services.Contains(j.Id)).GroupBy(j => j.Shards.Single().Node).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.NotEmpty(onNode1);
        var listedBefore = await cluster.SchedAt(Node2, "jobs");
        Assert.True(listedBefore.ExitCode == 0, listedBefore.ToString());
        Assert.All(expected, kv => Assert.Equal(kv.Value, ParseJobsTable(listedBefore.Stdout).GetValueOrDefault(kv.Key)));

        await using var sampler = new StoreSampler(cluster).Start();
        await sampler.WaitFor(s => s.Answered(AllNodes) && services.All(j => s.ShardsRunning(j, AllNodes) == 1), TimeSpan.Zero, TimeSpan.FromSeconds(60),
            "a sample of every store with every service shard running");
        var node1Agent = int.Parse(await File.ReadAllTextAsync(Path.Combine(cluster.DataDir, "node1", "agent.pid")), CultureInfo.InvariantCulture);
        var issuedAt = sampler.Clock.Elapsed;
        var kill = cluster.Kill("node1", containers: true);
        while (Directory.Exists($"/proc/{node1Agent}") && !kill.IsCompleted)
        {
            await Task.Delay(10);
        }

        // From here on node1's agent is gone (the script goes on with its podman service and containers).
        var killedAt = sampler.Clock.Elapsed;
        var killedAtWall = DateTime.Now;
        var (listedAfter, httpListedAfter, polls) = await PollJobsListing(sampler, killedAt, expected);
        await kill;
        figures.Print($"node1's agent gone {Figures.S(killedAt - issuedAt)} after `local-cluster.sh kill node1 --containers` started; "
            + $"`sched jobs --addr node2` after that (start-end: jobs in their state): {string.Join("; ", polls)}");
        figures.Print($"node2's log: {string.Join(" | ", cluster.LogLines("node2", "UNREACHABLE", "SBR took decision", "scheduler recovered").Select(l => SinceKill(l, killedAtWall)).Where(l => l.Length > 0))}");

        var (created, refusals) = await PostUntilDurable(Node2, Submissions.Sleeper("fo-after"));
        var newRuns = created.Created
            ? await sampler.FirstOrNull(s => s.ShardsRunning(created.JobId!, "node2", "node3") == 1, killedAt, Settle)
            : null;
        var replaced = await sampler.FirstOrNull(s => s.Answered("node2", "node3") && services.All(j => s.ShardsRunning(j, "node2", "node3") == 1), killedAt, Settle);
        await sampler.Keep(TimeSpan.FromSeconds(2));
        var after = JobOutcome.All(await cluster.Jobs(Node2));

        figures.Print(string.Create(CultureInfo.InvariantCulture,
            $"kill → `sched jobs --addr node2` lists all {FailoverJobs} in their states: {(listedAfter is { } l ? Figures.S(l) : "never")} (bound {Figures.S(ListingBound)}; "
            + $"GET /v1/jobs at node2: {(httpListedAfter is { } h ? Figures.S(h) : "never")}); "
            + $"{onNode1.Count} shards of node1 running on node2/node3: {(replaced is null ? $"not within {Figures.S(Settle)}" : $"after {Figures.S(replaced.Finished - killedAt)}")}; "
            + $"new job at node2: {(int)created.Status} in {Figures.Ms(created.Took.TotalMilliseconds)} after {refusals} 503s, running {(newRuns is null ? "never" : $"after {Figures.S(newRuns.Finished - killedAt)}")}; {sampler.Summary()}"));
        figures.Print($"node1's shards as node2 lists them now: {string.Join("; ", after.Where(j => onNode1.Contains(j.Id)))}");
        Assert.True(sampler.WithDuplicates.Count == 0, NoDuplicates(sampler));
        Assert.True(listedAfter is not null, $"node2 never listed the {FailoverJobs} jobs in their states: {string.Join("; ", polls)}\n{RecoveryLines()}\n{cluster.MembershipEvents()}");
        Assert.True(created.Created, $"a new job at node2 after the failover: {(int)created.Status} {created.Body}");
        Assert.True(newRuns is not null, $"the new job {created.JobId} never ran on node2 or node3");
        Assert.True(replaced is not null, $"node1's shards were not running on node2 or node3 within {Figures.S(Settle)}; node2 lists them as: "
            + string.Join("; ", after.Where(j => onNode1.Contains(j.Id))));
        Assert.All(onNode1, id => Assert.True(after.Single(j => j.Id == id).Shards.Single() is { Status: "running", Node: "node2" or "node3" }, $"{id} as node2 lists it"));
        Assert.True(listedAfter <= ListingBound, $"node2 listed all {FailoverJobs} jobs {Figures.S(listedAfter!.Value)} after the kill; bound {Figures.S(ListingBound)}");
    }

    /// <summary>
    /// Posts as a client that follows the API's 503 ("accepted, not yet confirmed by a majority; retry with the same
    /// Idempotency-Key"): while the dead node still counts among the scheduler nodes (until it is downed), a new job
    /// cannot be confirmed, and the same key, sent again, never makes a second job. Returns the answer and the 503s before it.
    /// </summary>
    private async Task<(SubmitAnswer Answer, int Refusals)> PostUntilDurable(string address, string manifest)
    {
        var key = $"fo-after-{Guid.NewGuid():n}";
        var answer = await Submissions.Post(Http, new Uri(address), manifest, key);
        var refusals = 0;
        for (; answer.Status == System.Net.HttpStatusCode.ServiceUnavailable && refusals < 30; refusals++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            answer = await Submissions.Post(Http, new Uri(address), manifest, key);
        }

        return (answer, refusals);
    }

    /// <summary>"+12.34 s: LINE" for a log line stamped HH:mm:ss.fff today, relative to <paramref name="since"/>.</summary>
    private static string SinceKill(string line, DateTime since) =>
        DateTime.TryParseExact(line.Length >= 13 ? line[..12] : "", "HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at) && at >= since.AddSeconds(-1)
            ? $"+{Figures.S(at - since)}: {FirstWords(line[13..])}"
            : "";

    private static string FirstWords(string text)
    {
        var line = text.Trim().Split('\n')[0];
        return line[..Math.Min(110, line.Length)];
    }

    /// <summary>
    /// Runs `sched jobs --addr NODE2` from the kill on, starting one every second while fewer than
    /// <see cref="PollsInFlight"/> run (an answer can take the API's 10 s while the scheduler moves, and more CLI
    /// processes at once would only load this 2-core machine), until one lists every job in its expected state.
    /// Returns when that one finished, relative to the kill. Beside it, GET /v1/jobs at node2 every 250 ms (up to 8 at
    /// once) measures the same without the CLI's start-up.
    /// </summary>
    private async Task<(TimeSpan? ListedAfter, TimeSpan? HttpListedAfter, List<string> Polls)> PollJobsListing(
        StoreSampler sampler, TimeSpan killedAt, IReadOnlyDictionary<string, string> expected)
    {
        var polls = new List<(TimeSpan Started, TimeSpan Finished, string Outcome, bool Listed)>();
        var httpListed = new List<TimeSpan>();
        var cli = new List<Task>();
        var http = new List<Task>();
        TimeSpan Now() => sampler.Clock.Elapsed - killedAt;
        bool Done()
        {
            lock (polls)
            {
                return polls.Any(p => p.Listed);
            }
        }

        async Task Poll()
        {
            var started = Now();
            var jobs = await cluster.SchedAt(Node2, "jobs");
            var states = jobs.ExitCode == 0 ? ParseJobsTable(jobs.Stdout) : [];
            var right = expected.Count(kv => states.GetValueOrDefault(kv.Key) == kv.Value);
            var outcome = jobs.ExitCode == 0 ? $"{right}/{expected.Count}" : $"exit {jobs.ExitCode} {FirstWords(jobs.Stderr)}";
            lock (polls)
            {
                polls.Add((started, Now(), outcome, right == expected.Count));
            }
        }

        async Task Get()
        {
            if (await cluster.TryJobs(Node2) is { } listed
                && expected.All(kv => listed.Any(j => j.GetProperty("id").GetString() == kv.Key && j.GetProperty("status").GetString() == kv.Value)))
            {
                lock (httpListed)
                {
                    httpListed.Add(Now());
                }
            }
        }

        while (!Done() && Now() < TimeSpan.FromSeconds(120))
        {
            cli.RemoveAll(t => t.IsCompleted);
            if (cli.Count < PollsInFlight)
            {
                cli.Add(Poll());
            }

            for (var i = 0; i < 4 && !Done(); i++)
            {
                http.RemoveAll(t => t.IsCompleted);
                if (http.Count < 8)
                {
                    http.Add(Get());
                }

                await Task.Delay(250);
            }
        }

        await Task.WhenAll(cli.Concat(http));
        var first = polls.Where(p => p.Listed).OrderBy(p => p.Finished).Select(p => (TimeSpan?)p.Finished).FirstOrDefault();
        var firstHttp = httpListed.Count == 0 ? (TimeSpan?)null : httpListed.Min();
        return (first, firstHttp, [.. polls.OrderBy(p => p.Started).Select(p => $"{Figures.S(p.Started)}-{Figures.S(p.Finished)}: {p.Outcome}")]);
    }
}
