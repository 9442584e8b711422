using System.Text.Json.Nodes;
using Sched.Contracts.Quantities;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>timeout</c>: the longest one attempt may run.</summary>
internal static class TimeoutReader
{
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(30);

    public static TimeSpan? Read(JsonNode? node, FieldErrors errors, string field = "timeout", string example = "10m")
    {
        if (node is null)
        {
            return null;
        }

        if (!ManifestValues.TryGetText(node, out var text) || !Duration.TryParse(text, out var timeout))
        {
            errors.Add(field, $"{ManifestValues.Describe(node)} is not a duration; use {Duration.Hint}, e.g. {field}: {example}");
            return null;
        }

        if (timeout < Minimum || timeout > Maximum)
        {
            errors.Add(field, $"must be from 1s to 720h (30 days), got {Duration.Format(timeout)}; e.g. {field}: {example}");
            return null;
        }

        return timeout;
    }
}
