using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sched.Contracts.Quantities;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads the container's run options: mounts, ports, per-shard arguments, network, user, limits, stop and labels.</summary>
internal static partial class ContainerOptionsReader
{
    public const int MaxPidsLimit = 32_768;
    public static readonly TimeSpan MaxStopTimeout = TimeSpan.FromMinutes(10);

    public static ContainerOptions Read(ManifestSection job, FieldErrors errors)
    {
        var pids = job["pidsLimit"] is { } pidsNode
            ? ManifestValues.ReadWholeNumber(pidsNode, "pidsLimit", 1, MaxPidsLimit, 1, "pidsLimit: 64", errors)
            : (int?)null;
        var options = new ContainerOptions(
            VolumeReader.ReadVolumes(job["volumes"], errors),
            PortReader.Read(job["ports"], errors),
            ManifestValues.ReadStringList(job["shardArgs"], "shardArgs", "shardArgs: [\"--part a\", \"--part b\"]", errors),
            ReadName(job["network"], "network", NetworkName(), "an existing podman network's name, e.g. network: backend", errors),
            ReadName(job["user"], "user", UserName(), "USER or USER:GROUP by name or number, e.g. user: 1000 or user: 1000:1000", errors),
            ReadWorkdir(job["workdir"], errors),
            pids,
            ManifestValues.ReadFlag(job["readOnly"], "readOnly", errors),
            VolumeReader.ReadTmpfs(job["tmpfs"], errors),
            ReadStopTimeout(job["stopTimeout"], errors),
            ReadStopSignal(job["stopSignal"], errors),
            ReadLabels(job["labels"], errors));
        if (options.Network == "host")
        {
            errors.Add("network", "host would share the host's network namespace, and sched runs no shard in a host namespace; name a podman network, e.g. network: backend");
        }

        return options;
    }

    private static string? ReadName(JsonNode? node, string field, Regex pattern, string form, FieldErrors errors)
    {
        if (node is null)
        {
            return null;
        }

        if (ManifestValues.TryGetText(node, out var text) && pattern.IsMatch(text))
        {
            return text;
        }

        errors.Add(field, $"{ManifestValues.Describe(node)} is not allowed; use {form}");
        return null;
    }

    private static string? ReadWorkdir(JsonNode? node, FieldErrors errors)
    {
        if (node is null)
        {
            return null;
        }

        if (ManifestValues.TryGetText(node, out var text) && VolumeReader.ContainerPathProblem(text) is not { } problem)
        {
            return text;
        }

        errors.Add("workdir", $"{ManifestValues.Describe(node)} is not an absolute path in the container; use e.g. workdir: /w");
        return null;
    }

    private static TimeSpan? ReadStopTimeout(JsonNode? node, FieldErrors errors)
    {
        if (node is null)
        {
            return null;
        }

        if (ManifestValues.TryGetText(node, out var text) && Duration.TryParse(text, out var timeout) && timeout <= MaxStopTimeout)
        {
            return timeout;
        }

        errors.Add("stopTimeout", $"{ManifestValues.Describe(node)} is not a duration up to 10m; use {Duration.Hint}, e.g. stopTimeout: 30s");
        return null;
    }

    /// <summary>A signal name (INT, SIGINT) or number; names are written SIGINT.</summary>
    private static string? ReadStopSignal(JsonNode? node, FieldErrors errors)
    {
        if (node is null)
        {
            return null;
        }

        if (ManifestValues.TryGetText(node, out var text) && SignalName().IsMatch(text.Trim()))
        {
            var signal = text.Trim().ToUpperInvariant();
            return char.IsDigit(signal[0]) || signal.StartsWith("SIG", StringComparison.Ordinal) ? signal : "SIG" + signal;
        }

        errors.Add("stopSignal", $"{ManifestValues.Describe(node)} is not a signal; use a name or number, e.g. stopSignal: SIGINT");
        return null;
    }

    private static ImmutableSortedDictionary<string, string> ReadLabels(JsonNode? node, FieldErrors errors)
    {
        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return labels.ToImmutable();
        }

        if (node is not JsonObject pairs)
        {
            errors.Add("labels", $"must be a mapping of KEY: value, e.g. labels: {{ team: data }}; got {ManifestValues.Describe(node)}");
            return labels.ToImmutable();
        }

        foreach (var (key, value) in pairs)
        {
            var field = $"labels.{key}";
            if (key.StartsWith(ContainerLabels.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(field, $"labels starting with {ContainerLabels.Prefix} are sched's own; choose another key, e.g. team");
            }
            else if (!LabelKey().IsMatch(key))
            {
                errors.Add(field, $"'{key}' is not a label key; use letters, digits and _ . - /, e.g. team");
            }
            else if (!ManifestValues.TryGetText(value, out var text))
            {
                errors.Add(field, $"must be a text value, not {ManifestValues.Describe(value)}; e.g. {key}: data");
            }
            else
            {
                labels[key] = text;
            }
        }

        return labels.ToImmutable();
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*\z")]
    private static partial Regex NetworkName();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?\z")]
    private static partial Regex UserName();

    [GeneratedRegex(@"^((SIG)?[A-Za-z][A-Za-z0-9+-]*|[0-9]{1,2})\z", RegexOptions.IgnoreCase)]
    private static partial Regex SignalName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-/]*\z")]
    private static partial Regex LabelKey();
}
