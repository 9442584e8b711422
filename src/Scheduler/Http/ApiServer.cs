using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Sched.Scheduler.Http.Auth;
using Sched.Scheduler.Http.Dashboard;
using Serilog;

namespace Sched.Scheduler.Http;

/// <summary>The HTTP API of a scheduler-role node, on the framework's own server.</summary>
public static class ApiServer
{
    /// <summary>A manifest is a few kilobytes; a megabyte is already absurd, and what a request may cost a 4 GB board.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>The API's endpoints, and those that are not the API's own (<c>/metrics</c>) from <paramref name="mapMore"/>.</summary>
    public static WebApplication Build(
        ApiListener listener, SchedulerGateway scheduler, ApiTokens token, Serilog.ILogger log, params Action<IEndpointRouteBuilder>[] mapMore)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(listener.Endpoint, o =>
            {
                if (listener.Certificate is { } certificate)
                {
                    o.UseHttps(certificate);
                }
            });
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        builder.Logging.ClearProviders().AddSerilog(log);
        builder.Services.AddSingleton(scheduler);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        builder.Services.AddBearerToken(token);
        // Authentication brings ASP.NET's data protection, whose key ring is loaded at start from the user's home: a
        // warning on every start where that is read-only (ProtectHome) or new, and writes to the SD card. Nothing in
        // sched protects data with it (the tokens are compared as they are), so its keys live in memory only.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddApiDocs();
        var app = builder.Build();
        app.Use(BodyTooLarge);
        app.Use(UnsupportedMediaType);
        app.Use(SchedulerUnavailable);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobEndpoints();
        app.MapNodeEndpoints();
        app.MapImageEndpoints();
        app.MapStreamEndpoints();
        app.MapDashboard();
        foreach (var map in mapMore)
        {
            map(app);
        }

        app.MapApiDocs();
        return app;
    }

    /// <summary>Kestrel stops reading a body past the limit by throwing; answer that as a problem document.</summary>
    private static async Task BodyTooLarge(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"The body is larger than {MaxRequestBodyBytes / 1024} KiB, the most this API reads; a job manifest is a few KiB. "
                    + "Nothing was stored.")
                .ExecuteAsync(context);
        }
    }

    /// <summary>Routing answers a body of a type no endpoint accepts with a bare 415: make it the problem document the endpoint writes.</summary>
    private static async Task UnsupportedMediaType(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted)
        {
            await ManifestFormats.Unsupported(context.Request.ContentType).ExecuteAsync(context);
        }
    }

    /// <summary>The scheduler singleton may be moving or still starting: say so instead of a bare 500.</summary>
    private static async Task SchedulerUnavailable(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (AskTimeoutException)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Scheduler unavailable",
                detail: "The scheduler did not answer within 10 s; it may be starting or moving to another node. Retry shortly.")
                .ExecuteAsync(context);
        }
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    private static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }
}
