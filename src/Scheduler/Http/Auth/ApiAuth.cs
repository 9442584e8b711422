using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Sched.Scheduler.Http.Auth;

/// <summary>
/// Every endpoint needs the bearer token unless it is mapped with <c>AllowAnonymous()</c>: the token is the
/// fallback policy, so an endpoint added later is protected without anyone remembering to protect it.
/// </summary>
public static class ApiAuth
{
    /// <summary>What a read-only token may do.</summary>
    public static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddBearerToken(this IServiceCollection services, ApiTokens tokens)
    {
        services.AddSingleton(tokens);
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(MayDo).Build());
        return services;
    }

    /// <summary>The admin token may do anything; the read-only token only reads.</summary>
    private static bool MayDo(AuthorizationHandlerContext context) =>
        context.User.IsInRole(ApiTokens.AdminRole)
        || context.User.IsInRole(ApiTokens.ReaderRole) && context.Resource is HttpContext http && ReadMethods.Contains(http.Request.Method);

    /// <summary>True for an endpoint that answers without the token.</summary>
    public static bool IsOpen(IEnumerable<object> endpointMetadata) => endpointMetadata.OfType<IAllowAnonymous>().Any();
}
