using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

public class ManifestSyntaxTests
{
    [Fact]
    public void Yaml_syntax_error_reports_its_line()
    {
        var error = Manifests.SingleError("image: x\nshards: 2\nenv:\n  A: 1\n   B: 2\n");
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.StartsWith("invalid YAML at line 5, column", error.Message);
    }

    [Fact]
    public void Unclosed_yaml_bracket_reports_the_line_it_was_opened_on()
    {
        var error = Manifests.SingleError("image: x\ncommand: [a, b\nshards: 3\n");
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains("line 2", error.Message);
    }

    [Theory]
    [InlineData("image: x\nresources: { cpus: 1 }*a\n", "line 2, column 25")]
    [InlineData("image: x\ncommand: [a]*b\n", "line 2, column 15")]
    public void Text_glued_to_a_closing_yaml_bracket_is_a_syntax_error_naming_where(string manifest, string where)
    {
        var error = Manifests.SingleError(manifest);
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains(where, error.Message);
        Assert.Contains("after a closing bracket", error.Message);
    }

    [Fact]
    public void Duplicate_yaml_key_is_a_syntax_error()
    {
        var error = Manifests.SingleError("image: x\nimage: y\n");
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Recursive_yaml_alias_is_refused_instead_of_looping()
    {
        var error = Manifests.SingleError("image: x\ncommand: &loop [*loop]\n");
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains("too large or too deeply nested", error.Message);
    }

    [Fact]
    public void Several_yaml_documents_are_refused()
    {
        var error = Manifests.SingleError("image: x\n---\nimage: y\n");
        Assert.Contains("one job per manifest", error.Message);
    }

    [Fact]
    public void Json_syntax_error_reports_line_and_column()
    {
        var result = ManifestParser.Parse("{\n  \"image\": \"x\",\n  \"shards\": x\n}", ManifestFormat.Json);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.StartsWith("invalid JSON at line 3, column 13:", error.Message);
    }

    [Theory]
    [InlineData("""{ "image": "x", "name": "a\uDE69b" }""")]
    [InlineData("""{ "image": "x", "env": { "A": "\uD800" } }""")]
    public void Json_escaping_half_a_surrogate_pair_is_a_syntax_error_not_a_crash(string manifest)
    {
        var error = Assert.Single(ManifestParser.Parse(manifest, ManifestFormat.Json).Errors);
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains("surrogate", error.Message);
    }

    [Fact]
    public void Duplicate_json_property_is_a_syntax_error()
    {
        var result = ManifestParser.Parse("""{ "image": "x", "image": "y" }""", ManifestFormat.Json);
        Assert.Contains("Duplicate property 'image'", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Quoted_null_in_yaml_stays_text()
    {
        var spec = Manifests.ValidYaml("image: x\nenv: { A: \"null\", B: '~' }");
        Assert.Equal(("null", "~"), (spec.Env["A"], spec.Env["B"]));
    }
}
