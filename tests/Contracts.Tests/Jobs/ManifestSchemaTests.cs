using System.Text.Json.Nodes;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>The parser and the writer agree with <see cref="ManifestSchema"/>, so a field added there is not half done.</summary>
public class ManifestSchemaTests
{
    private static IEnumerable<ManifestField> Leaves => ManifestSchema.Fields.Where(leaf => leaf.Kind != ManifestFieldKind.Section);

    [Fact]
    public void Every_field_sits_in_a_section_the_schema_declares()
    {
        var sections = ManifestSchema.Fields.Where(field => field.Kind == ManifestFieldKind.Section).Select(field => field.Path).Append("");

        Assert.All(ManifestSchema.Fields, field => Assert.Contains(field.Section, sections));
    }

    [Fact]
    public void The_parser_reads_every_field_of_the_schema()
    {
        foreach (var field in Leaves)
        {
            // A value of the wrong shape: a field the parser did not read would pass unnoticed.
            JsonNode wrong = field.Kind == ManifestFieldKind.TextMap ? new JsonArray(1) : new JsonObject { ["x"] = 1 };
            var manifest = new JsonObject { ["image"] = "busybox" };
            SetAt(manifest, field.Path, wrong);

            var result = ManifestParser.FromJson(manifest);

            Assert.Contains(result.Errors, error => error.Field == field.Path);
        }
    }

    [Fact]
    public void The_writer_writes_only_schema_fields_and_the_documented_defaults()
    {
        var written = ManifestWriter.ToJson(Manifests.ValidYaml("image: busybox"));
        var paths = ManifestSchema.Fields.Select(field => field.Path).ToHashSet();

        Assert.All(PathsOf(written, ""), path => Assert.Contains(path, paths));
        foreach (var field in Leaves.Where(field => field.Default is not null))
        {
            Assert.Equal(field.Default, ValueAt(written, field.Path)?.ToString());
        }
    }

    private static void SetAt(JsonObject manifest, string path, JsonNode value)
    {
        var parts = path.Split('.');
        var section = manifest;
        foreach (var part in parts[..^1])
        {
            section = (JsonObject)(section[part] ??= new JsonObject());
        }

        section[parts[^1]] = value;
    }

    private static JsonNode? ValueAt(JsonObject manifest, string path) =>
        path.Split('.').Aggregate((JsonNode?)manifest, (node, part) => node?[part]);

    private static IEnumerable<string> PathsOf(JsonObject section, string prefix) =>
        section.SelectMany(pair => pair.Value is JsonObject nested && prefix.Length == 0
            ? PathsOf(nested, pair.Key + ".").Prepend(pair.Key)
            : [prefix + pair.Key]);
}
