using Sched.Contracts.Jobs;
using Sched.Contracts.Quantities;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>What a user sees when a manifest is wrong: every bad field at once, each with the form to use.</summary>
public class ManifestErrorTests
{
    [Fact]
    public void Negative_shards_bad_memory_and_missing_image_are_reported_together()
    {
        var result = Manifests.Yaml("""
            shards: -2
            resources: { memory: 12xb }
            """);

        Assert.Null(result.Spec);
        Assert.False(result.IsValid);
        Assert.Equal(["image", "resources.memory", "shards"], result.Errors.Select(e => e.Field).Order());
        Assert.Contains("whole number from 1 to 10000", Message(result, "shards"));
        Assert.Contains("got '-2'", Message(result, "shards"));
        Assert.Contains(Quantity.MemoryHint, Message(result, "resources.memory"));
        Assert.Contains("'12xb'", Message(result, "resources.memory"));
        Assert.Contains("image: registry.local/team/my-processor:1.2", Message(result, "image"));
    }

    [Theory]
    [InlineData("shard: 3", "shard", "did you mean 'shards'?")]
    [InlineData("Image: x", "Image", "did you mean 'image'?")]
    [InlineData("resources: { memroy: 1Gi }", "resources.memroy", "did you mean 'memory'?")]
    [InlineData("placement: { maxShardPerNode: 2 }", "placement.maxShardPerNode", "did you mean 'maxShardsPerNode'?")]
    [InlineData("restart: { retries: 2 }", "restart.retries", "the fields here are policy, attempts, backoff, failOn")]
    [InlineData("priority: high", "priority", "the fields here are name, image, command, args, env, shards")]
    public void Unknown_fields_suggest_the_nearest_known_one_or_list_them(string line, string field, string hint)
    {
        var result = Manifests.Yaml($"image: x\n{line}");
        var error = Assert.Single(result.Errors, e => e.Field == field);
        Assert.StartsWith("unknown field", error.Message);
        Assert.Contains(hint, error.Message);
    }

    [Theory]
    [InlineData("\"\": 1", "manifest")]
    [InlineData("\" \": 1", "manifest")]
    [InlineData("resources: { \"\": 1Gi }", "resources")]
    public void A_field_with_a_blank_name_is_reported_on_its_section(string line, string field)
    {
        var result = Manifests.Yaml($"image: x\n{line}");
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith("unknown field '", error.Message);
    }

    [Theory]
    [InlineData("SHARD")]
    [InlineData("SHARD_INDEX")]
    [InlineData("SHARD_COUNT")]
    [InlineData("SCHED_JOB")]
    [InlineData("SCHED_NODE")]
    public void Reserved_env_names_are_refused(string name)
    {
        var error = Manifests.SingleError($"image: x\nenv: {{ {name}: 1 }}");
        Assert.Equal($"env.{name}", error.Field);
        Assert.Contains("set by sched for every shard; remove it", error.Message);
    }

    [Theory]
    [InlineData("1BAD", "env.1BAD", "not a variable name")]
    [InlineData("WITH-DASH", "env.WITH-DASH", "not a variable name")]
    public void Env_names_must_be_shell_variable_names(string name, string field, string expected)
    {
        var error = Manifests.SingleError($"image: x\nenv: {{ {name}: v }}");
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Env_values_must_be_text_not_lists()
    {
        var error = Manifests.SingleError("image: x\nenv: { LIST: [1, 2] }");
        Assert.Equal("env.LIST", error.Field);
        Assert.Contains("must be a text value", error.Message);
    }

    [Fact]
    public void Uppercase_name_is_refused_with_its_lowercase_form()
    {
        var error = Manifests.SingleError("image: x\nname: My-Processor");
        Assert.Equal("name", error.Field);
        Assert.Contains("use name: my-processor", error.Message);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has_underscore")]
    [InlineData("this-name-is-far-too-long-for-a-container-name")]
    public void Invalid_names_are_refused_with_the_rule(string name)
    {
        var error = Manifests.SingleError($"image: x\nname: {name}");
        Assert.Equal("name", error.Field);
        Assert.Contains("lowercase letters, digits and '-'", error.Message);
    }

    [Fact]
    public void Command_as_a_single_string_asks_for_a_list()
    {
        var error = Manifests.SingleError("image: x\ncommand: /bin/process --verbose");
        Assert.Equal("command", error.Field);
        Assert.Contains("must be a list of strings, not a single string", error.Message);
        Assert.Contains("command: [\"/bin/process\", \"--verbose\"]", error.Message);
    }

    [Theory]
    [InlineData("image: \"\"", "image", "without spaces")]
    [InlineData("image: my image", "image", "without spaces")]
    [InlineData("image: x\nshards: 0", "shards", "from 1 to 10000")]
    [InlineData("image: x\nshards: 10001", "shards", "from 1 to 10000")]
    [InlineData("image: x\nshards: 2.5", "shards", "whole number")]
    [InlineData("image: x\ntype: cron", "type", "use one of batch, service, e.g. type: batch")]
    [InlineData("image: x\nresources: { memory: 5Mi }", "resources.memory", "at least 6Mi")]
    [InlineData("image: x\nresources: { cpus: 0 }", "resources.cpus", "250m")]
    [InlineData("image: x\nresources: { cpus: 0.0001 }", "resources.cpus", "steps of 0.001")]
    [InlineData("image: x\nresources: 1Gi", "resources", "e.g. resources: { memory: 256Mi, cpus: 0.5 }")]
    [InlineData("image: x\nrestart: { policy: onfailure }", "restart.policy", "did you mean 'on-failure'?")]
    [InlineData("image: x\nrestart: { attempts: 101 }", "restart.attempts", "from 0 to 100")]
    [InlineData("image: x\nrestart: { backoff: 2 }", "restart.backoff", "500ms")]
    [InlineData("image: x\nrestart: { backoff: 2h }", "restart.backoff", "at most 1h")]
    [InlineData("image: x\nrestart: { failOn: 2 }", "restart.failOn", "must be a list of exit codes, not '2'; e.g. failOn: [2, 64]")]
    [InlineData("image: x\nrestart: { failOn: [0] }", "restart.failOn[0]", "from 1 to 255")]
    [InlineData("image: x\nrestart: { failOn: [2, 256] }", "restart.failOn[1]", "from 1 to 255")]
    [InlineData("image: x\nrestart: { failOn: [two] }", "restart.failOn[0]", "got 'two'")]
    [InlineData("image: x\nafter: extract-0a1b2c", "after", "must be a list of strings")]
    [InlineData("image: x\nafter: [extract]", "after[0]", "must be a job id as `sched jobs` lists it")]
    [InlineData("image: x\nafterAny: [Extract-0A1B2C]", "afterAny[0]", "got \"Extract-0A1B2C\"")]
    [InlineData("image: x\nafter: [extract-0a1b2c]\nafterAny: [extract-0a1b2c]", "afterAny", "which after names too")]
    [InlineData("image: x\nplacement: { strategy: pack }", "placement.strategy", "use one of spread, binpack")]
    [InlineData("image: x\nplacement: { maxShardsPerNode: 0 }", "placement.maxShardsPerNode", "from 1 to 10000")]
    public void Each_bad_value_names_its_field_and_the_accepted_form(string yaml, string field, string expected)
    {
        var error = Manifests.SingleError(yaml);
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_manifest_that_is_not_a_mapping_is_one_manifest_error()
    {
        var error = Manifests.SingleError("- image: x");
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains("must be a mapping", error.Message);
    }

    [Fact]
    public void An_empty_manifest_asks_for_an_image()
    {
        var error = Manifests.SingleError("# nothing here\n");
        Assert.Equal(ManifestParser.ManifestField, error.Field);
        Assert.Contains("needs at least an image", error.Message);
    }

    private static string Message(ManifestResult result, string field) =>
        Assert.Single(result.Errors, e => e.Field == field).Message;
}
