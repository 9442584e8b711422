using System.Collections.Immutable;
using System.Text.Json;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>
/// A shard starts with one message from the scheduler to its node, and Akka drops a message larger than its frame
/// (128,000 bytes by default) without a word: the shard would never start. So what a manifest puts into that
/// message is bounded here, counted as it travels (JSON-escaped UTF-8, with every <c>${SCHED_NODE}</c> and the
/// other shard values counted at the longest they can become), with room left for ids and labels. The whole job
/// (with every line of shardArgs) travels in one message too, from the HTTP node to the scheduler: shardArgs
/// together are bounded for that.
/// </summary>
internal static class StartMessageBudget
{
    public const int MaxEnvBytes = 64 * 1024;
    public const int MaxCommandBytes = 16 * 1024;
    public const int MaxImageBytes = 1024;
    public const int MaxShardArgsBytes = 24 * 1024;
    public const int MaxVolumesBytes = 4 * 1024;
    public const int MaxTmpfsBytes = 2 * 1024;
    public const int MaxLabelsBytes = 4 * 1024;
    public const int MaxPorts = 64;
    public const int MaxNameBytes = 256;
    public const int MaxWorkdirBytes = 1024;

    /// <summary>Quotes, colon and comma around each entry of a JSON object or array.</summary>
    private const int EntryOverhead = 6;

    /// <summary>The longest each shard value can be: 10000 shards, a job name of 40 and its suffix, a DNS name.</summary>
    private static readonly IReadOnlyDictionary<string, string> LongestShardValues = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SHARD"] = "10000",
        ["SHARD_INDEX"] = "9999",
        ["SHARD_COUNT"] = "10000",
        ["SCHED_JOB"] = new('j', 47),
        ["SCHED_NODE"] = new('n', 253),
    };

    public static void Check(
        string? image, ImmutableArray<string> command, ImmutableSortedDictionary<string, string> env, ContainerOptions container, FieldErrors errors)
    {
        if (image is not null && Size(image) is var imageBytes and > MaxImageBytes)
        {
            errors.Add("image", $"is {imageBytes} bytes; an image reference is at most {MaxImageBytes} bytes");
        }

        var commandBytes = command.Sum(Size);
        if (commandBytes > MaxCommandBytes)
        {
            errors.Add("command", $"command and args are {commandBytes} bytes together (as sent to the nodes); at most {MaxCommandBytes}. "
                + "Pass long input through a file the container reads instead");
        }
        else
        {
            CheckShardLines(container.ShardArgs, commandBytes, errors);
        }

        var envBytes = env.Sum(e => Size(e.Key) + Size(e.Value));
        if (envBytes > MaxEnvBytes)
        {
            errors.Add("env", $"the variables are {envBytes} bytes together (names and values, as sent to the nodes); at most {MaxEnvBytes}, "
                + "so a shard's start message fits the cluster's frame. Pass large data through a file the container reads instead");
        }

        CheckOptions(container, errors);
    }

    private static void CheckShardLines(ImmutableArray<string> lines, int commandBytes, FieldErrors errors)
    {
        if (lines.IsDefaultOrEmpty)
        {
            return;
        }

        var total = lines.Sum(Size);
        if (total > MaxShardArgsBytes)
        {
            errors.Add("shardArgs", $"the lines are {total} bytes together (as sent to the nodes); at most {MaxShardArgsBytes}. "
                + "Give each shard a short key (a file name, a range) and let the container read the rest from a mounted file");
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var lineBytes = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Sum(Size);
            if (commandBytes + lineBytes > MaxCommandBytes)
            {
                errors.Add($"shardArgs[{i}]", $"with command and args, this shard's arguments are {commandBytes + lineBytes} bytes (as sent to the nodes); "
                    + $"at most {MaxCommandBytes}. Shorten the line or pass its input through a file the container reads");
                return;
            }
        }
    }

    private static void CheckOptions(ContainerOptions container, FieldErrors errors)
    {
        Bound("volumes", container.Volumes.IsDefault ? 0 : container.Volumes.Sum(v => Size(v.ToString())), MaxVolumesBytes,
            "Mount a common parent directory once instead of many of its children", errors);
        Bound("tmpfs", container.Tmpfs.IsDefault ? 0 : container.Tmpfs.Sum(Size), MaxTmpfsBytes, "Use fewer tmpfs mounts", errors);
        Bound("labels", container.Labels is null ? 0 : container.Labels.Sum(l => Size(l.Key) + Size(l.Value)), MaxLabelsBytes,
            "Keep labels to short keys and values; put descriptions elsewhere", errors);
        if (!container.Ports.IsDefault && container.Ports.Length > MaxPorts)
        {
            errors.Add("ports", $"publishes {container.Ports.Length} ports; at most {MaxPorts}. Publish a range behind one port (a proxy) instead");
        }

        Bound("network", Size(container.Network), MaxNameBytes, "Name the podman network by a shorter name", errors);
        Bound("user", Size(container.User), MaxNameBytes, "Give the user (and group) by number, e.g. user: 1000:1000", errors);
        Bound("stopSignal", Size(container.StopSignal), MaxNameBytes, "Name a signal, e.g. stopSignal: SIGINT", errors);
        Bound("workdir", Size(container.Workdir), MaxWorkdirBytes, "Use a shorter path", errors);
    }

    private static void Bound(string field, int bytes, int bound, string fix, FieldErrors errors)
    {
        if (bytes > bound)
        {
            errors.Add(field, $"is {bytes} bytes (as sent to the nodes); at most {bound}. {fix}");
        }
    }

    private static int Size(string? text) =>
        text is null ? 0 : JsonEncodedText.Encode(ShardValues.Interpolate(text, LongestShardValues)).EncodedUtf8Bytes.Length + EntryOverhead;
}
