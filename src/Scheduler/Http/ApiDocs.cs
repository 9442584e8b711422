using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Sched.Scheduler.Http.Auth;

namespace Sched.Scheduler.Http;

/// <summary>
/// <c>GET /openapi/v1.json</c>, generated from the mapped endpoints. It is open like /healthz: it describes the API
/// and holds no data. Operations that need the token carry the bearer security requirement and their 401; open ones
/// say so with an empty one. It passes Redocly's recommended lint rules (tests/Scheduler.Tests/Http/OpenApiLintSpecs).
/// </summary>
public static class ApiDocs
{
    public const string SecuritySchemeId = "bearer";

    /// <summary>Operations are grouped by the first segment of their path after the version.</summary>
    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["jobs"] = "Submit, list, inspect and stop jobs; read a shard's log",
        ["nodes"] = "The nodes of the cluster with their capacity and allocation",
        ["images"] = "Which node holds which image",
        ["events"] = "Submissions, placements and state changes as they happen",
        ["operations"] = "Health and Prometheus metrics, open to probes and scrapers",
        ["dashboard"] = "The web dashboard's page and files, open: they hold no data and ask for the token",
    };

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
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }

                TagByPath(document);
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
            operation.Security = [];
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

    private static void TagByPath(OpenApiDocument document)
    {
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(tag => new OpenApiTag { Name = tag.Key, Description = tag.Value }));
        foreach (var (path, item) in document.Paths)
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var tag = segments switch
            {
                ["v1", var first, ..] when Tags.ContainsKey(first) => first,
                ["ui", ..] => "dashboard",
                _ => "operations",
            };
            foreach (var operation in item.Operations?.Values.ToList() ?? [])
            {
                operation.Tags = new HashSet<OpenApiTagReference> { new(tag, document) };
            }
        }
    }
}
