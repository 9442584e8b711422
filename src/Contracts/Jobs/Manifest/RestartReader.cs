using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Sched.Contracts.Quantities;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>restart</c>: what to do when a shard's container exits, how often, and how long to wait.</summary>
internal static class RestartReader
{
    public const int DefaultAttempts = 3;
    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaximumBackoff = TimeSpan.FromHours(1);

    public static RestartPolicy Read(JsonNode? node, FieldErrors errors)
    {
        var restart = ManifestSection.Open(
            node, "restart", ManifestSchema.FieldsOf("restart"),
            "restart: { policy: on-failure, attempts: 3, backoff: 2s, failOn: [2] }", errors);
        var mode = ManifestValues.ReadChoice(
            restart["policy"], restart.PathOf("policy"), ManifestChoices.RestartModes, RestartMode.OnFailure, errors);
        var attempts = ManifestValues.ReadWholeNumber(
            restart["attempts"], restart.PathOf("attempts"), 0, 100, DefaultAttempts, "attempts: 3", errors);
        var backoff = ReadBackoff(restart["backoff"], restart.PathOf("backoff"), errors);
        var failOn = ReadFailOn(restart["failOn"], restart.PathOf("failOn"), errors);
        return new RestartPolicy(mode, attempts, backoff, failOn);
    }

    /// <summary>Exit codes 1..255, each once, in order; an absent field is none.</summary>
    private static ImmutableArray<int> ReadFailOn(JsonNode? node, string field, FieldErrors errors)
    {
        const string Example = "failOn: [2, 64]";
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray items)
        {
            errors.Add(field, $"must be a list of exit codes, not {ManifestValues.Describe(node)}; e.g. {Example}");
            return [];
        }

        var codes = new SortedSet<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var code = items[i] is null
                ? Missing($"{field}[{i}]", errors)
                : ManifestValues.ReadWholeNumber(items[i], $"{field}[{i}]", 1, 255, 0, Example, errors);
            if (code > 0)
            {
                codes.Add(code);
            }
        }

        return [.. codes];
    }

    private static int Missing(string field, FieldErrors errors)
    {
        errors.Add(field, "must be an exit code from 1 to 255, not null; e.g. failOn: [2, 64]");
        return 0;
    }

    private static TimeSpan ReadBackoff(JsonNode? node, string field, FieldErrors errors)
    {
        if (node is null)
        {
            return DefaultBackoff;
        }

        if (!ManifestValues.TryGetText(node, out var text) || !Duration.TryParse(text, out var backoff))
        {
            errors.Add(field, $"{ManifestValues.Describe(node)} is not a duration; use {Duration.Hint}, e.g. backoff: 2s");
            return DefaultBackoff;
        }

        if (backoff > MaximumBackoff)
        {
            errors.Add(field, $"must be at most 1h, got {Duration.Format(backoff)}; use {Duration.Hint}, e.g. backoff: 2s");
            return DefaultBackoff;
        }

        return backoff;
    }
}
