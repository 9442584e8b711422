using System.Text.Json.Nodes;
using Sched.Contracts.Quantities;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>resources</c>: per-shard memory and cpus.</summary>
internal static class ResourcesReader
{
    public const long DefaultMemoryBytes = 256L << 20;
    public const int DefaultMilliCpus = 500;

    /// <summary>Podman refuses a memory limit below 6MiB.</summary>
    public const long MinimumMemoryBytes = 6L << 20;

    public static ShardResources Read(JsonNode? node, FieldErrors errors)
    {
        var resources = ManifestSection.Open(
            node, "resources", ManifestSchema.FieldsOf("resources"), "resources: { memory: 256Mi, cpus: 0.5 }", errors);
        return new ShardResources(
            ReadMemory(resources["memory"], resources.PathOf("memory"), errors),
            ReadCpus(resources["cpus"], resources.PathOf("cpus"), errors));
    }

    private static long ReadMemory(JsonNode? node, string field, FieldErrors errors)
    {
        if (node is null)
        {
            return DefaultMemoryBytes;
        }

        if (!ManifestValues.TryGetText(node, out var text) || !Quantity.TryParseMemory(text, out var bytes))
        {
            errors.Add(field, $"{ManifestValues.Describe(node)} is not a size; use {Quantity.MemoryHint}, e.g. memory: 256Mi");
            return DefaultMemoryBytes;
        }

        if (bytes < MinimumMemoryBytes)
        {
            errors.Add(field, $"must be at least 6Mi (podman's minimum), got {Quantity.FormatMemory(bytes)}; use {Quantity.MemoryHint}, e.g. memory: 256Mi");
            return DefaultMemoryBytes;
        }

        return bytes;
    }

    private static int ReadCpus(JsonNode? node, string field, FieldErrors errors)
    {
        if (node is null)
        {
            return DefaultMilliCpus;
        }

        if (ManifestValues.TryGetText(node, out var text) && Quantity.TryParseCpus(text, out var milliCpus))
        {
            return milliCpus;
        }

        errors.Add(field, $"{ManifestValues.Describe(node)} is not a CPU count above 0 in steps of 0.001; use {Quantity.CpusHint}, e.g. cpus: 0.5");
        return DefaultMilliCpus;
    }
}
