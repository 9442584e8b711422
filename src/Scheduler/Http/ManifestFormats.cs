using Sched.Contracts.Jobs;

namespace Sched.Scheduler.Http;

public static class ManifestFormats
{
    /// <summary>The manifest format a Content-Type names; JSON when none is given, null when it names neither.</summary>
    public static ManifestFormat? Detect(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            null or "" or "application/json" or "text/json" => ManifestFormat.Json,
            "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml" => ManifestFormat.Yaml,
            _ => null,
        };
    }
}
