using System.Net;
using System.Text;
using System.Text.Json;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Http.Fuzz;

/// <summary>
/// What the API must answer to a body, by the contract of README's HTTP API section: 415 for a type that is not a
/// manifest type, 413 for a body over the limit, else exactly what the manifest parser says of the same text (201, or
/// 400 naming the same fields; a host path outside the server's --allow-host-path roots is a 400 naming its volume),
/// and never anything else.
/// </summary>
public static class SubmissionOracle
{
    public static void Check(byte[] body, string? contentType, HttpStatusCode status, string? mediaType, string answer)
    {
        var code = (int)status;
        Assert.True(code is 201 or 400 or 413 or 415, $"answered {code}: {Clip(answer)}");
        if (FormatOf(contentType) is not { } format)
        {
            Assert.True(status == HttpStatusCode.UnsupportedMediaType, $"Content-Type '{contentType}' is no manifest type, yet answered {code}: {Clip(answer)}");
            Assert.True(mediaType == "application/problem+json", $"a 415 without a problem document: '{mediaType}' {Clip(answer)}");
            return;
        }

        if (body.Length > ApiServer.MaxRequestBodyBytes)
        {
            Assert.True(status == HttpStatusCode.RequestEntityTooLarge, $"a body of {body.Length} bytes was answered {code}, not 413");
            return;
        }

        var parsed = ManifestParser.Parse(new StreamReader(new MemoryStream(body), Encoding.UTF8).ReadToEnd(), format);
        if (parsed.Spec is { } spec && HostPaths.Check(spec, FuzzApi.AllowedHostPaths) is { IsEmpty: false } outside)
        {
            parsed = new ManifestResult(null, outside);
        }

        if (parsed.IsValid)
        {
            Assert.True(status == HttpStatusCode.Created, $"a manifest the parser accepts was answered {code}: {Clip(answer)}");
            return;
        }

        Assert.True(status == HttpStatusCode.BadRequest, $"a manifest the parser refuses ({Clip(string.Join("; ", parsed.Errors))}) was answered {code}");
        Assert.Equal("application/problem+json", mediaType);
        using var problem = JsonDocument.Parse(answer);
        var named = problem.RootElement.GetProperty("errors").EnumerateObject().ToList();
        Assert.NotEmpty(named);
        foreach (var field in named)
        {
            Assert.False(string.IsNullOrWhiteSpace(field.Name), $"a 400 names no field: {Clip(answer)}");
            Assert.All(field.Value.EnumerateArray(), message => Assert.False(string.IsNullOrWhiteSpace(message.GetString()), $"field '{field.Name}' has an empty message"));
        }

        Assert.Equal(parsed.Errors.Select(e => e.Field).Distinct().Order(StringComparer.Ordinal), named.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>The manifest format a Content-Type names by the README (JSON when none is given), or null.</summary>
    public static ManifestFormat? FormatOf(string? contentType) =>
        contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            null or "" or "application/json" or "text/json" => ManifestFormat.Json,
            "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml" => ManifestFormat.Yaml,
            _ => null,
        };

    private static string Clip(string text) => text.Length <= 400 ? text : $"{text[..400]}... ({text.Length} chars)";
}
