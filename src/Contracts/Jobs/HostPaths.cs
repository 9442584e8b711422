using System.Collections.Immutable;

namespace Sched.Contracts.Jobs;

/// <summary>
/// Which host paths a shard may mount: only those under the roots the agents were started with (--allow-host-path),
/// none by default. The API checks a manifest's volumes with it, and every agent checks each RunShard again.
/// </summary>
public static class HostPaths
{
    /// <summary>The roots as given, without trailing slashes; a root that is not an absolute, plain path is an error.</summary>
    public static ImmutableArray<string> NormaliseRoots(IEnumerable<string> roots, List<string> errors)
    {
        var normalised = ImmutableArray.CreateBuilder<string>();
        foreach (var root in roots)
        {
            if (!IsPlainAbsolute(root))
            {
                errors.Add($"--allow-host-path '{root}': use an absolute path without '..', e.g. --allow-host-path /data");
                continue;
            }

            normalised.Add(root.Length > 1 ? root.TrimEnd('/') : root);
        }

        return normalised.ToImmutable();
    }

    /// <summary>Every volume of the spec whose host path lies outside the roots, as a field error on volumes[i].</summary>
    public static ImmutableArray<FieldError> Check(JobSpec spec, IReadOnlyCollection<string> roots) =>
        [
            .. spec.ContainerOrNone.Volumes
                .Select((volume, i) => (volume, i))
                .Where(pair => pair.volume.IsHostPath)
                .Select(pair => Refusal(pair.volume.Source, roots) is { } refusal ? new FieldError($"volumes[{pair.i}]", refusal) : null)
                .OfType<FieldError>(),
        ];

    /// <summary>Null when the path lies under one of the roots, else why not, in words that name the roots and the fix.</summary>
    public static string? Refusal(string path, IReadOnlyCollection<string> roots)
    {
        if (!IsPlainAbsolute(path))
        {
            return $"host path {path} must be absolute, without '.' or '..' segments";
        }

        if (roots.Count == 0)
        {
            return $"host path {path} is not allowed: no host path is (the agents were started without --allow-host-path); "
                + "use a named volume such as cache:/cache, or start the agents with --allow-host-path /data";
        }

        return roots.Any(root => IsUnder(path, root))
            ? null
            : $"host path {path} is outside the allowed roots {string.Join(", ", roots)}; mount a path under them, or add a root with --allow-host-path on every agent";
    }

    private static bool IsUnder(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

    private static bool IsPlainAbsolute(string path) =>
        path.StartsWith('/') && !path.Split('/').Skip(1).Any(segment => segment is "." or "..") && !path.Contains('\0', StringComparison.Ordinal);
}
