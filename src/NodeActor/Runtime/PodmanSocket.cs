namespace Sched.NodeActor.Runtime;

/// <summary>Finds the podman API socket this node talks to.</summary>
public static class PodmanSocket
{
    public const string DefaultPath = "/run/podman/podman.sock";

    /// <summary>
    /// The unix socket path from the <c>--podman-socket</c> flag, else <c>CONTAINER_HOST</c>, else <c>DOCKER_HOST</c>,
    /// else podman's own default for the user: <see cref="DefaultPath"/> for root, and for anyone else (rootless mode)
    /// <c>$XDG_RUNTIME_DIR/podman/podman.sock</c>, or <c>/run/user/UID/podman/podman.sock</c> where that is unset (a
    /// system service run as the user). Each may be a plain path or <c>unix:///path</c>; other schemes are rejected.
    /// </summary>
    public static string Resolve(string? flag, Func<string, string?> getEnv, uint userId = 0)
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

        if (userId == 0)
        {
            return DefaultPath;
        }

        var runtimeDir = getEnv("XDG_RUNTIME_DIR") is { Length: > 0 } dir ? dir.TrimEnd('/') : $"/run/user/{userId}";
        return $"{runtimeDir}/podman/podman.sock";
    }

    /// <summary>This process's real user id, from /proc (0 where there is none to read).</summary>
    public static uint CurrentUserId()
    {
        const string Status = "/proc/self/status";
        var line = File.Exists(Status) ? File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) : null;
        var fields = line?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return fields is [_, var real, ..] && uint.TryParse(real, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : 0;
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
