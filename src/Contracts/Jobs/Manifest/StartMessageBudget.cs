using System.Collections.Immutable;
using System.Text.Json;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>
/// A shard starts with one message from the scheduler to its node, and Akka drops a message larger than its frame
/// (128,000 bytes by default) without a word: the shard would never start. So what a manifest puts into that
/// message is bounded here, counted as it travels (JSON-escaped UTF-8), with room left for ids and labels.
/// </summary>
internal static class StartMessageBudget
{
    public const int MaxEnvBytes = 64 * 1024;
    public const int MaxCommandBytes = 16 * 1024;
    public const int MaxImageBytes = 1024;

    /// <summary>Quotes, colon and comma around each entry of a JSON object or array.</summary>
    private const int EntryOverhead = 6;

    public static void Check(string? image, ImmutableArray<string> command, ImmutableSortedDictionary<string, string> env, FieldErrors errors)
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

        var envBytes = env.Sum(e => Size(e.Key) + Size(e.Value));
        if (envBytes > MaxEnvBytes)
        {
            errors.Add("env", $"the variables are {envBytes} bytes together (names and values, as sent to the nodes); at most {MaxEnvBytes}, "
                + "so a shard's start message fits the cluster's frame. Pass large data through a file the container reads instead");
        }
    }

    private static int Size(string text) => JsonEncodedText.Encode(text).EncodedUtf8Bytes.Length + EntryOverhead;
}
