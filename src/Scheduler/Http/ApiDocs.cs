using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Sched.Scheduler.Http.Auth;

namespace Sched.Scheduler.Http;

/// <summary>
/// <c>GET /openapi/v1.json</c>, generated from the mapped endpoints. It is open like /healthz: it describes the API
/// and holds no data. Operations that need the token carry the bearer security requirement and their 401.
/// </summary>
public static class ApiDocs
{
    public const string SecuritySchemeId = "bearer";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "sched",
                    Version = "v1",
                    Description = "Sharded podman container jobs on a cluster of nodes. Send `Authorization: Bearer <token>`; "
                        + "the token is in the api-token file in a scheduler node's data dir (or the agent's --token-file).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The API token of the scheduler nodes.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(RequireToken);
        });

    public static void MapApiDocs(this IEndpointRouteBuilder app) =>
        app.MapOpenApi().AllowAnonymous().ExcludeFromDescription();

    private static async Task RequireToken(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (ApiAuth.IsOpen(context.Description.ActionDescriptor.EndpointMetadata))
        {
            return;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeId, context.Document)] = [] });
        operation.Responses ??= [];
        operation.Responses["401"] = new OpenApiResponse
        {
            Description = "No bearer token, or not this node's token",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct) },
            },
        };
    }
}
