using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>volumes</c> (podman's <c>-v SOURCE:TARGET[:ro|rw]</c>) and <c>tmpfs</c> (<c>--tmpfs PATH[:OPTIONS]</c>).</summary>
internal static partial class VolumeReader
{
    private const string VolumeExample = "volumes: [\"/data/in:/in:ro\", \"/data/out/${SHARD}:/out\", \"cache:/cache\"]";

    public static ImmutableArray<VolumeMount> ReadVolumes(JsonNode? node, FieldErrors errors) =>
        ManifestValues.ReadList(node, "volumes", VolumeExample, errors, (text, field) =>
        {
            var error = TryParse(text, out var mount);
            if (error is not null)
            {
                errors.Add(field, $"'{text}': {error}; use SOURCE:TARGET[:ro], e.g. /data/in:/in:ro or cache:/cache");
            }

            return mount;
        });

    public static ImmutableArray<string> ReadTmpfs(JsonNode? node, FieldErrors errors) =>
        ManifestValues.ReadList(node, "tmpfs", "tmpfs: [\"/tmp\", \"/run:size=64m\"]", errors, (text, field) =>
        {
            var path = text.Split(':', 2)[0];
            if (ContainerPathProblem(path) is { } problem)
            {
                errors.Add(field, $"'{text}': the path {problem}; use PATH[:OPTIONS], e.g. /tmp or /run:size=64m");
                return null;
            }

            return text;
        });

    /// <summary>Null when the path may be a mount target in a container, else what is wrong with it.</summary>
    public static string? ContainerPathProblem(string path) =>
        !path.StartsWith('/') ? "must be absolute (start with /)"
        : path.Split('/').Contains("..") ? "may not contain '..'"
        : path.Any(char.IsWhiteSpace) ? "may not contain spaces"
        : null;

    private static string? TryParse(string text, out VolumeMount? mount)
    {
        mount = null;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return "not SOURCE:TARGET or SOURCE:TARGET:ro";
        }

        var (source, target) = (parts[0], parts[1]);
        var readOnly = parts.Length == 3 && parts[2] == "ro";
        if (parts.Length == 3 && parts[2] is not ("ro" or "rw"))
        {
            return $"option '{parts[2]}' is unknown; the options are ro and rw";
        }

        if (SourceProblem(source) is { } sourceProblem)
        {
            return $"the source {sourceProblem}";
        }

        if (ContainerPathProblem(target) is { } targetProblem)
        {
            return $"the target {targetProblem}";
        }

        mount = new VolumeMount(source, target, readOnly);
        return null;
    }

    private static string? SourceProblem(string source)
    {
        var unknown = ShardValues.UnknownNames(source).ToList();
        if (unknown.Count > 0)
        {
            return $"uses ${{{unknown[0]}}}; a source may use only {string.Join(", ", ShardValues.Names.Select(n => $"${{{n}}}"))}";
        }

        if (source.StartsWith('/'))
        {
            return source.Split('/').Contains("..") ? "may not contain '..'" : source.Any(char.IsWhiteSpace) ? "may not contain spaces" : null;
        }

        // A named volume; ${SHARD} and friends stand for values of letters, digits and '-'.
        var sample = ShardValues.Interpolate(source, ShardValues.Names.ToDictionary(n => n, _ => "1"));
        return VolumeName().IsMatch(sample)
            ? null
            : "is neither an absolute host path nor a volume name (letters, digits, '_', '.', '-')";
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*\z")]
    private static partial Regex VolumeName();
}
