using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Sched.Contracts.Jobs;

/// <summary>
/// The per-shard values of the environment contract (DESIGN.md §3), and their interpolation as <c>${NAME}</c> into
/// mount sources, env values and arguments. Any other <c>${...}</c> is left as it is (a shell in the container may
/// want it), so only these names are ever replaced.
/// </summary>
public static partial class ShardValues
{
    public static readonly ImmutableArray<string> Names = ["SHARD", "SHARD_INDEX", "SHARD_COUNT", "SCHED_JOB", "SCHED_NODE"];

    public static ImmutableSortedDictionary<string, string> For(string jobId, int shard, int shardCount, string node) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["SHARD"] = Text(shard),
            ["SHARD_INDEX"] = Text(shard - 1),
            ["SHARD_COUNT"] = Text(shardCount),
            ["SCHED_JOB"] = jobId,
            ["SCHED_NODE"] = node,
        });

    public static string Interpolate(string template, IReadOnlyDictionary<string, string> values) =>
        template.Contains("${", StringComparison.Ordinal)
            ? Reference().Replace(template, match => values.TryGetValue(match.Groups["name"].Value, out var value) ? value : match.Value)
            : template;

    /// <summary>The names inside <c>${...}</c> in the text that are not shard values.</summary>
    public static IEnumerable<string> UnknownNames(string template) =>
        Reference().Matches(template).Select(match => match.Groups["name"].Value).Where(name => !Names.Contains(name));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}
