using System.Text;
using System.Text.Json;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Cli;

/// <summary>The CLI's side of the HTTP API. Every failure becomes a <see cref="CliException"/> a person can act on.</summary>
public sealed class ApiClient(Uri address) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    public Task<JobDto> SubmitAsync(string manifest, string contentType, CancellationToken ct) =>
        SendAsync<JobDto>(new HttpRequestMessage(HttpMethod.Post, "v1/jobs")
        {
            Content = new StringContent(manifest, Encoding.UTF8, contentType),
        }, ct);

    public Task<List<JobDto>> JobsAsync(CancellationToken ct) => SendAsync<List<JobDto>>(new(HttpMethod.Get, "v1/jobs"), ct);

    public Task<JobDto> JobAsync(string id, CancellationToken ct) =>
        SendAsync<JobDto>(new(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(id)}"), ct);

    public Task<JobDto> StopAsync(string id, CancellationToken ct) =>
        SendAsync<JobDto>(new(HttpMethod.Delete, $"v1/jobs/{Uri.EscapeDataString(id)}"), ct);

    public Task<List<NodeDto>> NodesAsync(CancellationToken ct) => SendAsync<List<NodeDto>>(new(HttpMethod.Get, "v1/nodes"), ct);

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct);
            }
            catch (HttpRequestException e)
            {
                throw new CliException(
                    $"cannot reach sched at {address}: {e.Message}. Is `sched agent` running there? Set the address with --addr or SCHED_ADDR.");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new CliException($"sched at {address} did not answer within {_http.Timeout.TotalSeconds:0} s.");
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new CliException(await Problems.DescribeAsync(response, ct));
                }

                return await response.Content.ReadFromJsonAsync<T>(ApiServer.Json, ct)
                    ?? throw new CliException($"sched at {address} sent an empty answer.");
            }
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
