namespace Sched.Scheduler.Http.Auth;

/// <summary>The tokens one node's API accepts: the admin token, and optionally one that may only read.</summary>
public sealed record ApiTokens(ApiToken Admin, ApiToken? ReadOnly)
{
    public const string AdminRole = "admin";
    public const string ReaderRole = "reader";

    /// <summary>The role the presented token grants, or null when it is neither token.</summary>
    public string? RoleOf(string presented) =>
        Admin.Matches(presented) ? AdminRole
        : ReadOnly?.Matches(presented) == true ? ReaderRole
        : null;
}
