using Sched.Contracts.Jobs;

namespace Sched.Scheduler.Http;

public static class ManifestFormats
{
    public static readonly string[] JsonTypes = ["application/json", "text/json"];

    public static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    /// <summary>The manifest format a Content-Type names; JSON when none is given, null when it names neither.</summary>
    public static ManifestFormat? Detect(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(mediaType) || JsonTypes.Contains(mediaType) ? ManifestFormat.Json
            : YamlTypes.Contains(mediaType) ? ManifestFormat.Yaml
            : null;
    }

    /// <summary>The answer to a body of any other type, from the endpoint or from routing, which checks the type first.</summary>
    public static IResult Unsupported(string? contentType) => Results.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported manifest type",
        detail: $"Content-Type '{contentType}' is not a manifest type; send application/json or application/yaml.");
}
