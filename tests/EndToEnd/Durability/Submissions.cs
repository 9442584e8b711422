using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Sched.EndToEnd.Durability;

/// <summary>The answer to one POST /v1/jobs: status, media type, the job id of a 201, and the body.</summary>
public sealed record SubmitAnswer(HttpStatusCode Status, string? MediaType, string? JobId, string Body, TimeSpan Took)
{
    public bool Created => Status == HttpStatusCode.Created;

    /// <summary>An error a client can act on: a 4xx or 5xx with an RFC 7807 problem document.</summary>
    public bool IsProblem => (int)Status >= 400 && MediaType == "application/problem+json";
}

/// <summary>Job submissions over HTTP, as a client that retries would send them.</summary>
public static class Submissions
{
    /// <summary>A service job that sleeps: one shard, small limits.</summary>
    public static string Sleeper(string name, int shards = 1) => Manifest(name, "service", ["sleep", "3600"], shards, "16Mi", 0.05);

    /// <summary>A job no node can take (100Ti of memory): it stays pending with its reason, and no container starts.</summary>
    public static string Waiter(string name) => Manifest(name, "batch", ["true"], 1, "100Ti", 0.01);

    public static string Manifest(string name, string type, string[] command, int shards, string memory, double cpus, string restart = "on-failure") =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = name,
            ["image"] = "sched-test-busybox",
            ["type"] = type,
            ["command"] = command,
            ["shards"] = shards,
            ["resources"] = new Dictionary<string, object> { ["memory"] = memory, ["cpus"] = cpus },
            ["restart"] = new Dictionary<string, object> { ["policy"] = restart },
        });

    public static async Task<SubmitAnswer> Post(HttpClient http, Uri baseAddress, string manifest, string? idempotencyKey, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "/v1/jobs"))
        {
            Content = new StringContent(manifest, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        string? id = null;
        if (response.StatusCode == HttpStatusCode.Created)
        {
            using var doc = JsonDocument.Parse(body);
            id = doc.RootElement.GetProperty("id").GetString();
        }

        return new SubmitAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, id, body, clock.Elapsed);
    }

    /// <summary>Posts and requires a 201; returns the job id.</summary>
    public static async Task<string> MustCreate(HttpClient http, Uri baseAddress, string manifest, string? idempotencyKey = null)
    {
        var answer = await Post(http, baseAddress, manifest, idempotencyKey ?? $"test-{Guid.NewGuid():n}");
        Assert.True(answer.Created, string.Create(CultureInfo.InvariantCulture, $"POST {baseAddress}v1/jobs: {(int)answer.Status} {answer.Body}"));
        return answer.JobId!;
    }
}
