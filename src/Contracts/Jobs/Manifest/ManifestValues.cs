using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>
/// Reads single values. YAML gives every scalar as text, so numbers and booleans are read from their text
/// whichever format the manifest came in.
/// </summary>
internal static class ManifestValues
{
    /// <summary>A scalar's text: strings as they are, numbers and booleans as written.</summary>
    public static bool TryGetText(JsonNode? node, [NotNullWhen(true)] out string? text)
    {
        text = node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.TryGetValue<string>(out var s) ? s : value.ToJsonString().Trim('"'),
                JsonValueKind.Number => value.ToJsonString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;
        return text is not null;
    }

    /// <summary>How a value is quoted back in a message.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "a mapping",
        JsonArray => "a list",
        _ => TryGetText(node, out var text) ? $"'{text}'" : node.ToJsonString(),
    };

    /// <summary>true or false; false when the field is absent.</summary>
    public static bool ReadFlag(JsonNode? node, string field, FieldErrors errors)
    {
        if (node is null)
        {
            return false;
        }

        if (TryGetText(node, out var text) && bool.TryParse(text, out var flag))
        {
            return flag;
        }

        errors.Add(field, $"must be true or false, e.g. {field}: true; got {Describe(node)}");
        return false;
    }

    /// <returns>The number, or <paramref name="fallback"/> when the field is absent or wrong.</returns>
    public static int ReadWholeNumber(
        JsonNode? node, string field, int min, int max, int fallback, string example, FieldErrors errors)
    {
        if (node is null)
        {
            return fallback;
        }

        if (TryGetText(node, out var text)
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(field, $"must be a whole number from {min} to {max}, e.g. {example}; got {Describe(node)}");
        return fallback;
    }

    /// <summary>One of a fixed set of lowercase names, matched ignoring case.</summary>
    public static T ReadChoice<T>(
        JsonNode? node, string field, IReadOnlyList<(string Name, T Value)> choices, T fallback, FieldErrors errors)
    {
        if (node is null)
        {
            return fallback;
        }

        var names = choices.Select(choice => choice.Name).ToList();
        if (TryGetText(node, out var text))
        {
            foreach (var (name, value) in choices)
            {
                if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }
        }

        var nearest = text is null ? null : NearestName.Find(text, names);
        var example = $"{field[(field.LastIndexOf('.') + 1)..]}: {nearest ?? names[0]}";
        var guess = nearest is null ? "" : $"did you mean '{nearest}'? ";
        errors.Add(field, $"{Describe(node)} is not allowed; {guess}use one of {string.Join(", ", names)}, e.g. {example}");
        return fallback;
    }

    /// <summary>A list of strings; an absent field is an empty list.</summary>
    public static ImmutableArray<string> ReadStringList(JsonNode? node, string field, string example, FieldErrors errors) =>
        ReadList(node, field, example, errors, (text, _) => text);

    /// <summary>
    /// A list whose items are strings, each turned into a value by <paramref name="readItem"/>, which gets the
    /// item's path for its errors and returns null for a bad item. An absent field is an empty list.
    /// </summary>
    public static ImmutableArray<T> ReadList<T>(
        JsonNode? node, string field, string example, FieldErrors errors, Func<string, string, T?> readItem)
        where T : class
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray items)
        {
            var what = node is JsonValue ? "not a single string" : $"not {Describe(node)}";
            errors.Add(field, $"must be a list of strings, {what}; e.g. {example}");
            return [];
        }

        var list = ImmutableArray.CreateBuilder<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var itemField = $"{field}[{i}]";
            if (!TryGetText(items[i], out var text))
            {
                errors.Add(itemField, $"must be a string, not {Describe(items[i])}; e.g. {example}");
            }
            else if (readItem(text, itemField) is { } item)
            {
                list.Add(item);
            }
        }

        return list.ToImmutable();
    }
}
