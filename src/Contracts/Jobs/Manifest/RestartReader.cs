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
            "restart: { policy: on-failure, attempts: 3, backoff: 2s }", errors);
        var mode = ManifestValues.ReadChoice(
            restart["policy"], restart.PathOf("policy"), ManifestChoices.RestartModes, RestartMode.OnFailure, errors);
        var attempts = ManifestValues.ReadWholeNumber(
            restart["attempts"], restart.PathOf("attempts"), 0, 100, DefaultAttempts, "attempts: 3", errors);
        var backoff = ReadBackoff(restart["backoff"], restart.PathOf("backoff"), errors);
        return new RestartPolicy(mode, attempts, backoff);
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
