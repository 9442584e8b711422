using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sched.Scheduler.Http.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> against the node's <see cref="ApiTokens"/>. A request without it, or
/// with another token, is answered 401 with a problem document that says where the token is; a read-only token
/// that asks to change something, 403.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header is not 'Bearer <token>'."));
        }

        if (tokens.RoleOf(header[Prefix.Length..].Trim()) is not { } role)
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not this node's API token."));
        }

        var client = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "token holder"), new Claim(ClaimTypes.Role, role)], SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(client, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: failure is null ? "Token required" : "Wrong token",
            detail: $"{failure?.Message ?? "The request has no 'Authorization: Bearer <token>' header."} "
                + $"The token is in the file {tokens.Admin.Path} on the scheduler node that answered: pass it with --token or SCHED_TOKEN, "
                + "or run sched on that node, where it reads the file itself.")
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Read-only token",
            detail: $"This token may only read ({string.Join(", ", ApiAuth.ReadMethods)}); {Request.Method} needs the admin token "
                + $"in the file {tokens.Admin.Path} on the scheduler node.")
            .ExecuteAsync(Context);
}
