using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Sched.Scheduler.Http.Auth;
using Serilog;

namespace Sched.Scheduler.Http;

/// <summary>The HTTP API of a scheduler-role node, on the framework's own server.</summary>
public static class ApiServer
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>The API's endpoints, and those that are not the API's own (<c>/metrics</c>) from <paramref name="mapMore"/>.</summary>
    public static WebApplication Build(
        IPEndPoint endpoint, SchedulerGateway scheduler, ApiToken token, Serilog.ILogger log, params Action<IEndpointRouteBuilder>[] mapMore)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(endpoint));
        builder.Logging.ClearProviders().AddSerilog(log);
        builder.Services.AddSingleton(scheduler);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        builder.Services.AddBearerToken(token);
        builder.Services.AddApiDocs();
        var app = builder.Build();
        app.Use(SchedulerUnavailable);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobEndpoints();
        app.MapNodeEndpoints();
        app.MapStreamEndpoints();
        foreach (var map in mapMore)
        {
            map(app);
        }

        app.MapApiDocs();
        return app;
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
