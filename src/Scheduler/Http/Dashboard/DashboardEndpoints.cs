namespace Sched.Scheduler.Http.Dashboard;

/// <summary>
/// The web dashboard under /ui, on the API's own port. Its files are open, like /healthz: they hold no data, and
/// every API call the pages make sends the token a person typed in. A file is revalidated on each load (no-cache
/// with an ETag), so a node upgraded in place serves its new pages at once and an unchanged file costs a 304.
/// </summary>
public static class DashboardEndpoints
{
    public const string Root = "/ui";

    /// <summary>The page loads only what the node serves and talks only to its API; the page's policy covers its scripts.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(Root, Page)
            .WithName("Dashboard").WithSummary("The web dashboard; /ui redirects to /ui/, which is its page. Needs no token: it asks for one")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status302Found)
            .AllowAnonymous();
        app.MapGet(Root + "/{file}", (HttpContext http, string file) => Serve(http, file))
            .WithName("DashboardFile").WithSummary("A script, style sheet or image of the web dashboard; needs no token")
            .Produces(StatusCodes.Status200OK, contentType: "text/javascript")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowAnonymous();
    }

    /// <summary>Routing matches /ui and /ui/ alike; only /ui/ resolves the page's relative script paths under /ui/.</summary>
    private static IResult Page(HttpContext http) =>
        http.Request.Path.Value?.EndsWith('/') == true ? Serve(http, DashboardAssets.Index) : Results.Redirect(Root + "/");

    private static IResult Serve(HttpContext http, string file)
    {
        if (!DashboardAssets.All.TryGetValue(file, out var asset))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such dashboard file",
                detail: $"The dashboard has no file '{file}'; open {Root}/ for its page.");
        }

        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (file == DashboardAssets.Index)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }

        return http.Request.Headers.IfNoneMatch.Contains(asset.ETag)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }
}
