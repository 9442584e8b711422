using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads manifest text into a JSON tree, or says where the text is malformed.</summary>
internal static class ManifestText
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static bool TryRead(
        string text, ManifestFormat format, out JsonNode? tree, [NotNullWhen(false)] out string? error) =>
        format == ManifestFormat.Yaml ? TryReadYaml(text, out tree, out error) : TryReadJson(text, out tree, out error);

    private static bool TryReadJson(string text, out JsonNode? tree, [NotNullWhen(false)] out string? error)
    {
        try
        {
            tree = JsonNode.Parse(text, documentOptions: JsonOptions);
            ReadEveryString(tree);
            error = null;
            return true;
        }
        catch (InvalidOperationException e)
        {
            // A string escaping half a surrogate pair ("\uDE69") parses, and throws only when read (found by SubmissionFuzzSpecs).
            (tree, error) = (null, $"invalid JSON: {e.Message} Write the character itself or both halves of its \\u pair.");
            return false;
        }
        catch (JsonException e)
        {
            // The message ends with its own " LineNumber: 2 | BytePositionInLine: 6." in zero-based numbers.
            var positionSuffix = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var message = positionSuffix < 0 ? e.Message : e.Message[..positionSuffix];
            var position = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            (tree, error) = (null, $"invalid JSON{position}: {message}");
            return false;
        }
    }

    private static void ReadEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    ReadEveryString(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ReadEveryString(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
            default:
                break;
        }
    }

    private static bool TryReadYaml(string text, out JsonNode? tree, [NotNullWhen(false)] out string? error)
    {
        var parser = new PositionTrackingParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            (tree, error) = (null, $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner sometimes fails this way, without a position, e.g. on an unclosed '['.
            (tree, error) = (null, After(parser.LastEnd, "check for an unclosed bracket or quote"));
            return false;
        }
        catch (ArgumentException)
        {
            // And this way on text glued to a closing bracket, e.g. `a: [b]*c` (found by SubmissionFuzzSpecs), at an
            // event past the text in question: the one before it ends there.
            (tree, error) = (null, After(parser.PreviousEnd, "check for text right after a closing bracket or brace"));
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            (tree, error) = (null, $"holds {stream.Documents.Count} YAML documents; write one job per manifest");
            return false;
        }

        if (stream.Documents.Count == 0)
        {
            (tree, error) = (null, null);
            return true;
        }

        tree = YamlToJson.Convert(stream.Documents[0].RootNode, out error);
        return error is null;
    }

    private static string After(Mark at, string hint) => $"invalid YAML after line {at.Line}, column {at.Column}: {hint}";

    /// <summary>
    /// Remembers where the last event parsed ended, to place errors YamlDotNet reports without one; and refuses
    /// nesting and aliases beyond what a manifest needs as the events arrive, before any tree is built: a body of
    /// 20,000 '[' or an alias bomb costs a few milliseconds, not seconds and tens of megabytes.
    /// </summary>
    private sealed class PositionTrackingParser(IParser inner) : IParser
    {
        public const int MaxDepth = 32;
        public const int MaxAliases = 50;
        private int _depth;
        private int _aliases;

        public Mark LastEnd { get; private set; } = Mark.Empty;

        public Mark PreviousEnd { get; private set; } = Mark.Empty;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            PreviousEnd = LastEnd;
            LastEnd = inner.Current?.End ?? LastEnd;
            switch (inner.Current)
            {
                case MappingStart or SequenceStart when ++_depth > MaxDepth:
                    throw new YamlException(inner.Current.Start, inner.Current.End,
                        $"nested more than {MaxDepth} levels deep; a manifest needs a few");
                case MappingEnd or SequenceEnd:
                    _depth--;
                    break;
                case AnchorAlias when ++_aliases > MaxAliases:
                    throw new YamlException(inner.Current.Start, inner.Current.End,
                        $"more than {MaxAliases} aliases (*name); write the values out");
                default:
                    break;
            }

            return moved;
        }
    }
}
