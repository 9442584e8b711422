namespace Sched.NodeActor.Runtime;

/// <summary>Finds the podman API socket this node talks to.</summary>
public static class PodmanSocket
{
    public const string DefaultPath = "/run/podman/podman.sock";

    /// <summary>
    /// The unix socket path from the <c>--podman-socket</c> flag, else <c>CONTAINER_HOST</c>, else <c>DOCKER_HOST</c>,
    /// else <see cref="DefaultPath"/>. Each may be a plain path or <c>unix:///path</c>; other schemes are rejected.
    /// </summary>
    public static string Resolve(string? flag, Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return ToPath(flag, "--podman-socket");
        }

        foreach (var variable in new[] { "CONTAINER_HOST", "DOCKER_HOST" })
        {
            var value = getEnv(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return ToPath(value, variable);
            }
        }

        return DefaultPath;
    }

    private static string ToPath(string value, string source)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed["unix://".Length..];
        }
        else if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{source} is '{value}', but sched only talks to podman over a local unix socket " +
                "(unix:///path or /path); tcp:// and ssh:// are not supported.",
                nameof(value));
        }

        if (!trimmed.StartsWith('/'))
        {
            throw new ArgumentException(
                $"{source} is '{value}'; give an absolute socket path such as {DefaultPath} or unix://{DefaultPath}.",
                nameof(value));
        }

        return trimmed;
    }
}
