using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>env</c>, a mapping of variable names to text; numbers and booleans become their text.</summary>
internal static partial class EnvReader
{
    /// <summary>Set by sched for every shard (DESIGN.md §3), so a manifest may not set them.</summary>
    public static readonly ImmutableArray<string> ReservedNames =
        ["SHARD", "SHARD_INDEX", "SHARD_COUNT", "SCHED_JOB", "SCHED_NODE"];

    public static ImmutableSortedDictionary<string, string> Read(JsonNode? node, FieldErrors errors)
    {
        var env = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return env.ToImmutable();
        }

        if (node is not JsonObject variables)
        {
            errors.Add("env", $"must be a mapping of NAME: value, e.g. env: {{ INPUT: /data/in }}; got {ManifestValues.Describe(node)}");
            return env.ToImmutable();
        }

        foreach (var (name, value) in variables)
        {
            var field = $"env.{name}";
            if (!NamePattern().IsMatch(name))
            {
                errors.Add(field, $"'{name}' is not a variable name; use letters, digits and '_', not starting with a digit, e.g. INPUT_DIR");
            }
            else if (ReservedNames.Contains(name))
            {
                errors.Add(field, $"{name} is set by sched for every shard; remove it (sched sets {string.Join(", ", ReservedNames)})");
            }
            else if (!ManifestValues.TryGetText(value, out var text))
            {
                errors.Add(field, $"must be a text value, not {ManifestValues.Describe(value)}; e.g. {name}: /data/in, or {name}: \"\" for empty");
            }
            else
            {
                env[name] = text;
            }
        }

        return env.ToImmutable();
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex NamePattern();
}
