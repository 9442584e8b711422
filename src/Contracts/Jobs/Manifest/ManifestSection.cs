using System.Text.Json.Nodes;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>
/// One mapping of the manifest (the top level, <c>resources</c>, ...) with its known fields.
/// Opening it reports unknown fields; a missing or malformed section reads as empty, so its defaults apply.
/// </summary>
internal sealed class ManifestSection
{
    private readonly JsonObject fields;
    private readonly string path;

    private ManifestSection(JsonObject fields, string path)
    {
        this.fields = fields;
        this.path = path;
    }

    /// <summary>
    /// Opens the section at <c>path</c> (dotted; empty for the top level). <c>example</c> is a well-formed
    /// section, shown when the node is not a mapping.
    /// </summary>
    public static ManifestSection Open(
        JsonNode? node, string path, IReadOnlyCollection<string> knownFields, string example, FieldErrors errors)
    {
        if (node is not JsonObject fields)
        {
            if (node is not null)
            {
                errors.Add(path, $"must be a mapping of {string.Join(", ", knownFields)}, e.g. {example}");
            }

            return new ManifestSection(new JsonObject(), path);
        }

        var section = new ManifestSection(fields, path);
        foreach (var (name, _) in fields)
        {
            if (!knownFields.Contains(name))
            {
                // A blank name cannot name its own error: the section it sits in does.
                var field = !string.IsNullOrWhiteSpace(name) ? section.PathOf(name) : path.Length > 0 ? path : ManifestParser.ManifestField;
                errors.Add(field, NearestName.UnknownFieldMessage(name, knownFields));
            }
        }

        return section;
    }

    /// <summary>The field's value; null when it is absent or written as null.</summary>
    public JsonNode? this[string name] => fields[name];

    public string PathOf(string name) => path.Length == 0 ? name : $"{path}.{name}";
}
