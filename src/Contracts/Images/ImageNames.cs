namespace Sched.Contracts.Images;

/// <summary>
/// Whether an image reference a job names (<c>my-processor</c>, <c>busybox:1.36</c>, <c>sha256:240d…</c>) is an
/// image a node holds under one of its full names (<c>localhost/my-processor:latest</c>), as podman resolves a
/// short name: the tag defaults to latest, and a name without a registry is looked for under localhost/ and docker.io.
/// </summary>
public static class ImageNames
{
    private const string IdPrefix = "sha256:";

    /// <summary>The shortest image id prefix taken as an id rather than a name, as podman does.</summary>
    private const int ShortIdLength = 12;

    public static bool Matches(string reference, string imageId, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(names);
        var wanted = reference.Trim();
        if (IsId(wanted))
        {
            return Bare(imageId).StartsWith(Bare(wanted), StringComparison.OrdinalIgnoreCase);
        }

        var candidates = Candidates(wanted);
        return names.Any(name => candidates.Contains(name, StringComparer.Ordinal));
    }

    /// <summary>The full names a reference may stand for, most likely first.</summary>
    public static IReadOnlyList<string> Candidates(string reference)
    {
        var tagged = HasTagOrDigest(reference) ? reference : reference + ":latest";
        if (HasRegistry(tagged))
        {
            return [tagged];
        }

        return tagged.Contains('/', StringComparison.Ordinal)
            ? [tagged, "localhost/" + tagged, "docker.io/" + tagged]
            : [tagged, "localhost/" + tagged, "docker.io/library/" + tagged];
    }

    private static bool IsId(string reference) =>
        reference.StartsWith(IdPrefix, StringComparison.OrdinalIgnoreCase)
        || (reference.Length >= ShortIdLength && reference.All(Uri.IsHexDigit));

    private static string Bare(string id) =>
        id.StartsWith(IdPrefix, StringComparison.OrdinalIgnoreCase) ? id[IdPrefix.Length..] : id;

    private static bool HasTagOrDigest(string reference)
    {
        var lastSegment = reference[(reference.LastIndexOf('/') + 1)..];
        return lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.Contains('@', StringComparison.Ordinal);
    }

    /// <summary>A first component with a dot or a port, or localhost, names a registry (Docker's rule).</summary>
    private static bool HasRegistry(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return false;
        }

        var first = reference[..slash];
        return first == "localhost" || first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal);
    }
}
