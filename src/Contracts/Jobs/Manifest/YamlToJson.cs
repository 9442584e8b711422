using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>
/// Turns a YAML node tree into the JSON tree the manifest reader works on. Scalars stay text (the reader reads
/// numbers from text); untagged plain <c>null</c>, <c>~</c> and empty scalars become null.
/// Depth and size are capped, since aliases can make a short document self-referential or huge.
/// </summary>
internal sealed class YamlToJson
{
    private const int MaxDepth = 64;
    private const int MaxNodes = 100_000;

    private static readonly HashSet<string> NullScalars = ["", "~", "null", "Null", "NULL"];

    private int nodeCount;
    private string? error;

    private YamlToJson()
    {
    }

    /// <summary>The converted tree, or an error saying why and where it could not be converted.</summary>
    public static JsonNode? Convert(YamlNode root, out string? error)
    {
        var converter = new YamlToJson();
        var json = converter.ConvertNode(root, depth: 0);
        error = converter.error;
        return json;
    }

    private JsonNode? ConvertNode(YamlNode node, int depth)
    {
        if (++nodeCount > MaxNodes || depth > MaxDepth)
        {
            return Fail(node.Start, "the document is too large or too deeply nested (check for recursive aliases)");
        }

        return node switch
        {
            YamlScalarNode scalar => ConvertScalar(scalar),
            YamlSequenceNode sequence => ConvertSequence(sequence, depth),
            YamlMappingNode mapping => ConvertMapping(mapping, depth),
            _ => Fail(node.Start, "unsupported YAML node"),
        };
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var isNull = scalar.Tag.IsEmpty && scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && NullScalars.Contains(value);
        return isNull ? null : JsonValue.Create(value);
    }

    private JsonArray? ConvertSequence(YamlSequenceNode sequence, int depth)
    {
        var array = new JsonArray();
        foreach (var item in sequence.Children)
        {
            var converted = ConvertNode(item, depth + 1);
            if (error is not null)
            {
                return null;
            }

            array.Add(converted);
        }

        return array;
    }

    private JsonObject? ConvertMapping(YamlMappingNode mapping, int depth)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                return Fail(key.Start, "a mapping key must be a plain name");
            }

            var converted = ConvertNode(value, depth + 1);
            if (error is not null)
            {
                return null;
            }

            obj[name] = converted;
        }

        return obj;
    }

    private JsonObject? Fail(Mark at, string message)
    {
        error ??= $"invalid YAML at line {at.Line}, column {at.Column}: {message}";
        return null;
    }
}
