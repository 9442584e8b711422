using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Sched.Scheduler.Tests.Http.Fuzz;

/// <summary>Turns a <see cref="FuzzCase"/> into the bytes of a request body.</summary>
public static class FuzzBody
{
    private static readonly ISerializer Yaml = new SerializerBuilder().WithMaximumRecursion(5_000).Build();

    public static byte[] Of(FuzzCase fuzz, IReadOnlyList<Seed> seeds)
    {
        var seed = seeds[fuzz.SeedIndex % seeds.Count];
        var text = fuzz.Rendering == Rendering.SeedText ? seed.Text : Write(Edited(seed.Tree, fuzz.Edits), fuzz.Rendering);
        return Damaged(Encoding.UTF8.GetBytes(text), fuzz.Damage, fuzz.Rendering);
    }

    private static JsonNode? Edited(JsonObject seed, IEnumerable<TreeEdit> edits)
    {
        JsonNode? root = seed.DeepClone();
        foreach (var edit in edits)
        {
            root = Apply(root, edit);
        }

        return root;
    }

    private static JsonNode? Apply(JsonNode? root, TreeEdit edit)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        if (nodes.Count == 0)
        {
            return edit.Kind is EditKind.Replace or EditKind.AddField ? edit.Value?.DeepClone() : root;
        }

        var target = nodes[(int)((uint)edit.Target % (uint)nodes.Count)];
        var value = edit.Value?.DeepClone();
        switch (edit.Kind)
        {
            case EditKind.Replace when target == root:
                return value;
            case EditKind.Replace:
                target.ReplaceWith(value);
                break;
            case EditKind.Remove when target == root:
                return null;
            case EditKind.Remove:
                Detach(target);
                break;
            case EditKind.AddField:
                if ((target as JsonObject ?? target.Parent as JsonObject) is { } obj)
                {
                    obj[edit.Name] = value;
                }

                break;
            case EditKind.Rename when target.Parent is JsonObject parent:
                var old = target.GetPropertyName();
                parent.Remove(old);
                parent[edit.Name] = target;
                break;
            case EditKind.WrapInArray when target == root:
                return new JsonArray(target);
            case EditKind.WrapInArray:
                var wrapper = new JsonArray();
                target.ReplaceWith(wrapper);
                wrapper.Add(target);
                break;
            default:
                break;
        }

        return root;
    }

    private static void Detach(JsonNode node)
    {
        switch (node.Parent)
        {
            case JsonObject obj:
                obj.Remove(node.GetPropertyName());
                break;
            case JsonArray array:
                array.RemoveAt(node.GetElementIndex());
                break;
            default:
                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }

        into.Add(node);
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            Collect(child, into);
        }
    }

    private static string Write(JsonNode? tree, Rendering rendering) => rendering switch
    {
        Rendering.YamlBlock => Yaml.Serialize(Plain(tree)),
        _ => tree?.ToJsonString(new JsonSerializerOptions { MaxDepth = 4096 }) ?? "null",
    };

    /// <summary>The tree as dictionaries, lists and scalars, which the YAML writer knows.</summary>
    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray array => array.Select(Plain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
            _ => Number(value.ToJsonString()),
        },
        _ => null,
    };

    private static object Number(string text) =>
        long.TryParse(text, CultureInfo.InvariantCulture, out var whole) ? whole : double.Parse(text, CultureInfo.InvariantCulture);

    private static byte[] Damaged(byte[] body, TextDamage damage, Rendering rendering)
    {
        var at = body.Length == 0 ? 0 : (int)((uint)damage.At % (uint)(body.Length + 1));
        var yaml = rendering is Rendering.YamlBlock or Rendering.SeedText;
        return damage.Kind switch
        {
            DamageKind.Truncate => body[..at],
            DamageKind.InsertBytes => [.. body[..at], .. damage.Bytes, .. body[at..]],
            DamageKind.DuplicateSlice => [.. body[..at], .. body[(at / 2)..at], .. body[at..]],
            DamageKind.NestingPrefix => yaml ? BlockNesting(body, damage.Size) : FlowNesting(body, damage.Size),
            DamageKind.AliasBomb => [.. body, .. Encoding.UTF8.GetBytes(AliasBomb(levels: damage.Size, width: 1 + (damage.At & 7)))],
            DamageKind.PadTo => PadTo(body, damage.Size, yaml),
            _ => body,
        };
    }

    /// <summary>The document as the value of a mapping nested a few hundred levels at most (indentation grows as depth²).</summary>
    private static byte[] BlockNesting(byte[] body, int size)
    {
        var depth = size % 400;
        var prefix = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            prefix.Append(' ', level).Append("a:\n");
        }

        var indent = new string(' ', depth);
        var nested = string.Join('\n', Encoding.UTF8.GetString(body).Split('\n').Select(line => indent + line));
        return Encoding.UTF8.GetBytes(prefix + nested);
    }

    private static byte[] FlowNesting(byte[] body, int depth) =>
        [.. Encoding.UTF8.GetBytes(new string('[', depth)), .. body, .. Encoding.UTF8.GetBytes(new string(']', depth))];

    /// <summary>Unknown fields that expand to width^levels nodes through aliases (the "billion laughs").</summary>
    private static string AliasBomb(int levels, int width)
    {
        var bomb = new StringBuilder("\nbomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= levels; level++)
        {
            bomb.Append($"bomb{level}: &b{level} [{string.Join(", ", Enumerable.Repeat($"*b{level - 1}", width))}]\n");
        }

        return bomb.ToString();
    }

    /// <summary>Grows the body to exactly <paramref name="size"/> bytes with a comment (YAML) or whitespace (JSON).</summary>
    private static byte[] PadTo(byte[] body, int size, bool yaml)
    {
        var missing = size - body.Length;
        if (missing <= 0)
        {
            return body;
        }

        var padding = yaml && missing >= 3 ? "\n#" + new string('x', missing - 3) + "\n" : new string(' ', missing);
        return [.. body, .. Encoding.UTF8.GetBytes(padding)];
    }
}
