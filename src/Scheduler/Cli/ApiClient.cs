using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Cli;

/// <summary>
/// The CLI's side of the HTTP API. It tries the scheduler addresses in order and keeps using the first that
/// answers, sending the API token with every request. Every failure becomes a <see cref="CliException"/> a
/// person can act on.
/// </summary>
/// <param name="owned">What the client's addresses need while it is used (ssh tunnels); closed with it.</param>
public sealed class ApiClient(IReadOnlyList<Uri> addresses, ClientToken token, ApiTrust trust, IReadOnlyList<IDisposable>? owned = null) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new(trust.Handler()) { Timeout = Timeout };
    private int _current;

    /// <summary>One key per CLI invocation: a submission retried on another address never makes a second job.</summary>
    public string IdempotencyKey { get; } = $"cli-{Guid.NewGuid():n}";

    public Task<JobDto> SubmitAsync(string manifest, string contentType, CancellationToken ct) =>
        SendAsync<JobDto>(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = new StringContent(manifest, Encoding.UTF8, contentType) };
            request.Headers.Add("Idempotency-Key", IdempotencyKey);
            return request;
        }, ct);

    /// <summary>POST /v1/jobs?dryRun=true: the job as it would be placed now; nothing is stored.</summary>
    public Task<JobDto> PlanAsync(string manifest, string contentType, CancellationToken ct) =>
        SendAsync<JobDto>(() => new HttpRequestMessage(HttpMethod.Post, "v1/jobs?dryRun=true") { Content = new StringContent(manifest, Encoding.UTF8, contentType) }, ct);

    public Task<List<JobDto>> JobsAsync(CancellationToken ct) => SendAsync<List<JobDto>>(() => new(HttpMethod.Get, "v1/jobs"), ct);

    public Task<JobDto> JobAsync(string id, CancellationToken ct) =>
        SendAsync<JobDto>(() => new(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(id)}"), ct);

    public Task<JobDto> ScaleAsync(string id, int? parallel, CancellationToken ct) =>
        SendAsync<JobDto>(() => new(HttpMethod.Patch, $"v1/jobs/{Uri.EscapeDataString(id)}")
        {
            Content = new StringContent(
                new System.Text.Json.Nodes.JsonObject { ["parallel"] = parallel }.ToJsonString(), Encoding.UTF8, "application/json"),
        }, ct);

    /// <summary>Runs shards of a finished job again: these, or (null) every one that did not succeed.</summary>
    public Task<JobDto> RerunAsync(string id, IReadOnlyList<int>? shards, CancellationToken ct) =>
        SendAsync<JobDto>(() => new(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(id)}/rerun")
        {
            Content = new StringContent(
                shards is null ? "" : new System.Text.Json.Nodes.JsonObject { ["shards"] = new System.Text.Json.Nodes.JsonArray([.. shards.Select(s => (System.Text.Json.Nodes.JsonNode)s)]) }.ToJsonString(),
                Encoding.UTF8, "application/json"),
        }, ct);

    public Task<JobDto> StopAsync(string id, CancellationToken ct) =>
        SendAsync<JobDto>(() => new(HttpMethod.Delete, $"v1/jobs/{Uri.EscapeDataString(id)}"), ct);

    /// <summary>
    /// Streams an image archive to the node answering at the current address (the one the last call reached): the
    /// body is read once, so it is not sent to another address. No timeout: a large image takes what it takes.
    /// </summary>
    public async Task<ImagePushed> PushImageAsync(Stream archive, CancellationToken ct)
    {
        var address = addresses[_current];
        using var upload = new HttpClient(trust.Handler()) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var content = new StreamContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue(ImagePush.ContentType);
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Post, new Uri(address, "v1/images")) { Content = content });
        HttpResponseMessage response;
        try
        {
            response = await upload.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"pushing to {address}: {trust.Explain(address, e)}");
        }

        using (response)
        {
            await ThrowUnlessSuccess(address, response, ct);
            return await response.Content.ReadFromJsonAsync<ImagePushed>(ApiServer.Json, ct)
                ?? throw new CliException($"sched at {address} sent an empty answer.");
        }
    }

    public Task<List<NodeDto>> NodesAsync(CancellationToken ct) => SendAsync<List<NodeDto>>(() => new(HttpMethod.Get, "v1/nodes"), ct);

    public Task<List<ImageDto>> ImagesAsync(CancellationToken ct) => SendAsync<List<ImageDto>>(() => new(HttpMethod.Get, "v1/images"), ct);

    public void Dispose()
    {
        _http.Dispose();
        trust.Dispose();
        foreach (var resource in owned ?? [])
        {
            resource.Dispose();
        }
    }

    /// <summary>Reads a streaming response line by line as it arrives, until the server ends it or ct fires.</summary>
    public async Task StreamLinesAsync(string path, Func<string, Task> onLine, CancellationToken ct)
    {
        using var stream = new HttpClient(trust.Handler()) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var failures = new List<string>();
        foreach (var address in addresses.Skip(_current).Concat(addresses.Take(_current)))
        {
            HttpResponseMessage response;
            try
            {
                using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, new Uri(address, path)));
                response = await stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{address}: {trust.Explain(address, e)}");
                continue;
            }

            using (response)
            {
                await ThrowUnlessSuccess(address, response, ct);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    await onLine(line);
                }

                return;
            }
        }

        throw new CliException($"cannot reach sched ({string.Join("; ", failures)}). Set the address with --addr or SCHED_ADDR.");
    }

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> newRequest, CancellationToken ct)
    {
        var failures = new List<string>();
        for (var tried = 0; tried < addresses.Count; tried++)
        {
            var address = addresses[_current];
            using var request = Authorized(newRequest());
            request.RequestUri = new Uri(address, request.RequestUri!);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                failures.Add(e is HttpRequestException failure ? $"{address}: {trust.Explain(address, failure)}" : $"{address}: no answer within {Timeout.TotalSeconds:0} s");
                _current = (_current + 1) % addresses.Count;
                continue;
            }

            using (response)
            {
                await ThrowUnlessSuccess(address, response, ct);
                return await response.Content.ReadFromJsonAsync<T>(ApiServer.Json, ct)
                    ?? throw new CliException($"sched at {address} sent an empty answer.");
            }
        }

        throw new CliException(
            $"cannot reach sched ({string.Join("; ", failures)}). Is `sched agent` running there? Set the address with --addr or SCHED_ADDR.");
    }

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (token.Value is { } value)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
        }

        return request;
    }

    /// <summary>A refused token is not a reason to try the next address: the scheduler nodes share one token.</summary>
    private async Task ThrowUnlessSuccess(Uri address, HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new CliException(token.Refused(address, await Problems.DescribeAsync(response, ct)));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(await Problems.DescribeAsync(response, ct));
        }
    }
}

/// <summary>An error the CLI prints as it is, with no stack trace.</summary>
public sealed class CliException(string message) : Exception(message);

internal static class Problems
{
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var message = new StringBuilder();
            message.Append(root.TryGetProperty("title", out var title) ? title.GetString() : response.ReasonPhrase);
            if (root.TryGetProperty("detail", out var detail))
            {
                message.Append(": ").Append(detail.GetString());
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var error in field.Value.EnumerateArray())
                    {
                        message.Append('\n').Append("  ").Append(field.Name).Append(": ").Append(error.GetString());
                    }
                }
            }

            return message.ToString();
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}: {text}";
        }
    }
}
