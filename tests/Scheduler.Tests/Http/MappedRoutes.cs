using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Sched.Scheduler.Tests.Http;

/// <summary>The routes the API really maps, read from its endpoint data source, and requests that reach them.</summary>
public static class MappedRoutes
{
    /// <summary>The only routes that answer without the token: the dashboard's files hold no data, its pages ask for the token.</summary>
    public static readonly string[] Open = ["GET /healthz", "GET /metrics", "GET /openapi/{documentName}.json", "GET /ui", "GET /ui/{file}"];

    /// <summary>"METHOD pattern" for every method of every route endpoint, e.g. "GET /v1/jobs/{id}".</summary>
    public static IReadOnlyList<(string Key, string Method, RoutePattern Pattern)> Of(IEnumerable<RouteEndpoint> endpoints) =>
        [.. endpoints.SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(m => ($"{m} {e.RoutePattern.RawText}", m, e.RoutePattern)))
            .OrderBy(r => r.Item1, StringComparer.Ordinal)];

    /// <summary>A path that matches the pattern, with each route parameter taken from <paramref name="values"/>.</summary>
    public static string PathOf(RoutePattern pattern, IReadOnlyDictionary<string, string> values) =>
        string.Concat(pattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => Uri.EscapeDataString(values[parameter.Name]),
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new NotSupportedException(part.GetType().Name),
        }))));
}
