using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Sched.Scheduler.Http.Auth;

/// <summary>
/// Every endpoint needs the bearer token unless it is mapped with <c>AllowAnonymous()</c>: the token is the
/// fallback policy, so an endpoint added later is protected without anyone remembering to protect it.
/// </summary>
public static class ApiAuth
{
    public static IServiceCollection AddBearerToken(this IServiceCollection services, ApiToken token)
    {
        services.AddSingleton(token);
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>True for an endpoint that answers without the token.</summary>
    public static bool IsOpen(IEnumerable<object> endpointMetadata) => endpointMetadata.OfType<IAllowAnonymous>().Any();
}
