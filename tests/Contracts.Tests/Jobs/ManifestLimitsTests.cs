using System.Text;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>Hostile manifests are refused while they are read, with a reason, before any tree is built.</summary>
public class ManifestLimitsTests
{
    [Fact]
    public void Yaml_nested_twenty_thousand_deep_is_refused_naming_the_limit_and_the_line()
    {
        var error = Manifests.SingleError("image: x\ncommand: " + new string('[', 20_000) + new string(']', 20_000) + "\n");

        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.StartsWith("invalid YAML at line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("nested more than 32 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_for_its_aliases()
    {
        var bomb = new StringBuilder("image: x\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append(level).Append(": &").Append(level).Append(" [")
                .AppendJoin(",", Enumerable.Repeat("*" + previous, 9)).Append("]\n");
        }

        var error = Manifests.SingleError(bomb.ToString());

        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains("more than 50 aliases", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_nested_deeper_than_the_reader_allows_is_a_syntax_error()
    {
        var result = ManifestParser.Parse("{\"image\": \"x\", \"command\": " + new string('[', 5_000) + new string(']', 5_000) + "}", ManifestFormat.Json);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.StartsWith("invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_using_a_few_aliases_as_people_write_them_still_reads()
    {
        var spec = Manifests.ValidYaml("image: x\ncommand: &same [\"echo\", \"hi\"]\nargs: *same\n");

        Assert.Equal(["echo", "hi", "echo", "hi"], spec.Command.ToArray());
    }
}
