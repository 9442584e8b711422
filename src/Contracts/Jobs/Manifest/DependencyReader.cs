using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>after</c> and <c>afterAny</c>: ids of jobs this one waits for, as `sched jobs` lists them.</summary>
internal static partial class DependencyReader
{
    /// <summary>At most this many jobs in each list: a job waits for a few steps, not for a whole history.</summary>
    public const int MaxJobs = 32;

    public static JobDependencies? Read(ManifestSection job, FieldErrors errors)
    {
        var succeeded = ReadIds(job["after"], "after", "after: [shards-4f2a1c]", errors);
        var ended = ReadIds(job["afterAny"], "afterAny", "afterAny: [shards-4f2a1c]", errors);
        foreach (var both in succeeded.Intersect(ended, StringComparer.Ordinal))
        {
            errors.Add("afterAny", $"names {both}, which after names too; keep it in one of them");
        }

        return succeeded.IsEmpty && ended.IsEmpty ? null : new JobDependencies(succeeded, ended);
    }

    private static ImmutableArray<string> ReadIds(System.Text.Json.Nodes.JsonNode? node, string field, string example, FieldErrors errors)
    {
        var ids = ManifestValues.ReadList(node, field, example, errors, (text, path) =>
        {
            if (JobId().IsMatch(text))
            {
                return text;
            }

            errors.Add(path, $"must be a job id as `sched jobs` lists it (name, '-', six hex digits), e.g. {example}; got \"{text}\"");
            return null;
        });
        if (ids.Length > MaxJobs)
        {
            errors.Add(field, $"names {ids.Length} jobs; at most {MaxJobs}");
        }

        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?-[0-9a-f]{6}$")]
    private static partial Regex JobId();
}
