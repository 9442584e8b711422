using System.Text.Json.Nodes;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Contracts.Serialization;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Tests.State;

/// <summary>
/// A shard starts with one RunShard message, and Akka drops a message over its frame (128,000 bytes by default)
/// without a word. The manifest's bounds keep every RunShard below it, however its text escapes.
/// </summary>
public sealed class StartMessageSizeSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const int AkkaDefaultFrameBytes = 128_000;

    public StartMessageSizeSpecs()
        : base(SchedSerialization.Hocon)
    {
    }

    [Fact]
    public void A_manifest_at_every_bound_with_the_costliest_characters_still_starts_in_one_frame()
    {
        // A control character travels as \u0001 and an accented one as \u00E9: six bytes for one character.
        var manifest = new JsonObject
        {
            ["image"] = new string('a', 1018),
            ["command"] = new JsonArray(new string('é', 2729)),
            ["env"] = new JsonObject { ["A"] = new string('\u0001', 10920) },
            ["shards"] = 10_000,
            ["volumes"] = new JsonArray("/" + new string('é', 680) + ":/in"),
            ["tmpfs"] = new JsonArray("/" + new string('é', 339)),
            ["labels"] = new JsonObject { ["a"] = new string('é', 680) },
            ["ports"] = new JsonArray([.. Enumerable.Range(60_000, 64).Select(p => (JsonNode?)$"{p}:{p}/udp")]),
            ["network"] = new string('n', 250),
            ["user"] = new string('u', 250),
            ["stopSignal"] = "SIG" + new string('S', 247),
            ["workdir"] = "/" + new string('é', 169),
        };
        var spec = Assert.IsType<JobSpec>(ManifestParser.FromJson(manifest).Spec);
        var state = SchedulerState.Empty.Apply(new JobAccepted("j-at-the-bounds", spec, DateTimeOffset.UnixEpoch));

        var run = ShardLaunches.For(state.Job("j-at-the-bounds")!, new ShardAttemptId("j-at-the-bounds", 10_000, 1_000_000), "node-with-a-long-name-7");
        var bytes = Sys.Serialization.FindSerializerFor(run).ToBinary(run).Length;

        Assert.InRange(bytes, 80_000, AkkaDefaultFrameBytes - 1);
    }

    [Fact]
    public void A_job_at_every_bound_with_a_line_of_shard_args_for_each_shard_still_travels_in_one_frame()
    {
        // The whole job, every line included, goes from the HTTP node to the scheduler in one message; each shard's
        // start carries the command with its own line.
        var line = new string('é', 728);
        var manifest = new JsonObject
        {
            ["image"] = new string('a', 1018),
            ["command"] = new JsonArray(new string('é', 2000)),
            ["env"] = new JsonObject { ["A"] = new string('\u0001', 10920) },
            ["shardArgs"] = new JsonArray([.. Enumerable.Repeat(line, 5).Select(l => (JsonNode?)l)]),
            ["volumes"] = new JsonArray("/" + new string('é', 680) + ":/in"),
            ["tmpfs"] = new JsonArray("/" + new string('é', 339)),
            ["labels"] = new JsonObject { ["a"] = new string('é', 680) },
            ["ports"] = new JsonArray([.. Enumerable.Range(60_000, 64).Select(p => (JsonNode?)$"{p}:{p}/udp")]),
            ["network"] = new string('n', 250),
            ["user"] = new string('u', 250),
            ["stopSignal"] = "SIG" + new string('S', 247),
            ["workdir"] = "/" + new string('é', 169),
        };
        var spec = Assert.IsType<JobSpec>(ManifestParser.FromJson(manifest).Spec);
        var state = SchedulerState.Empty.Apply(new JobAccepted("j-with-lines", spec, DateTimeOffset.UnixEpoch));
        var submit = new SubmitJob(spec, new string('k', 64));
        var run = ShardLaunches.For(state.Job("j-with-lines")!, new ShardAttemptId("j-with-lines", 5, 1_000_000), new string('n', 253));

        Assert.InRange(Sys.Serialization.FindSerializerFor(submit).ToBinary(submit).Length, 100_000, AkkaDefaultFrameBytes - 1);
        Assert.InRange(Sys.Serialization.FindSerializerFor(run).ToBinary(run).Length, 80_000, AkkaDefaultFrameBytes - 1);
    }

    [Fact]
    public void A_node_name_in_the_command_is_counted_at_the_longest_a_node_name_can_be()
    {
        // 100 references are 1,300 bytes as written and 25,300 once each becomes a 253-byte node name.
        var manifest = $"{{\"image\": \"x\", \"command\": [\"{string.Concat(Enumerable.Repeat("${SCHED_NODE}", 100))}\"]}}";

        var error = Assert.Single(ManifestParser.Parse(manifest, ManifestFormat.Json).Errors);
        Assert.Equal("command", error.Field);
        Assert.Contains("at most 16384", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shard_lines_together_over_their_bound_are_refused_naming_shard_args()
    {
        var lines = string.Join(", ", Enumerable.Repeat($"\"{new string('x', 5000)}\"", 5));

        var error = Assert.Single(ManifestParser.Parse($"{{\"image\": \"x\", \"shardArgs\": [{lines}]}}", ManifestFormat.Json).Errors);
        Assert.Equal("shardArgs", error.Field);
        Assert.Contains("at most 24576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_ports_than_the_bound_are_refused_naming_ports()
    {
        var ports = string.Join(", ", Enumerable.Range(1, 65).Select(p => $"\"{p}\""));

        var error = Assert.Single(ManifestParser.Parse($"{{\"image\": \"x\", \"ports\": [{ports}]}}", ManifestFormat.Json).Errors);
        Assert.Equal("ports", error.Field);
        Assert.Contains("at most 64", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each text is one byte over its bound once the entry's quotes, colon and comma are counted.</summary>
    [Theory]
    [InlineData("env", "{\"image\": \"x\", \"env\": {\"A\": \"%\"}}", 65_524, 65_536)]
    [InlineData("command", "{\"image\": \"x\", \"command\": [\"%\"]}", 16_379, 16_384)]
    [InlineData("image", "{\"image\": \"%\"}", 1_019, 1_024)]
    [InlineData("shardArgs[0]", "{\"image\": \"x\", \"command\": [\"%\"], \"shardArgs\": [\"y\"]}", 16_372, 16_384)]
    [InlineData("volumes", "{\"image\": \"x\", \"volumes\": [\"/%:/in\"]}", 4_086, 4_096)]
    [InlineData("tmpfs", "{\"image\": \"x\", \"tmpfs\": [\"/%\"]}", 2_042, 2_048)]
    [InlineData("labels", "{\"image\": \"x\", \"labels\": {\"a\": \"%\"}}", 4_084, 4_096)]
    [InlineData("network", "{\"image\": \"x\", \"network\": \"%\"}", 251, 256)]
    [InlineData("user", "{\"image\": \"x\", \"user\": \"%\"}", 251, 256)]
    [InlineData("workdir", "{\"image\": \"x\", \"workdir\": \"/%\"}", 1_018, 1_024)]
    public void One_byte_over_a_bound_is_refused_naming_the_field_and_the_bound(string field, string template, int length, int bound)
    {
        var manifest = template.Replace("%", new string('x', length), StringComparison.Ordinal);

        var error = Assert.Single(ManifestParser.Parse(manifest, ManifestFormat.Json).Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains($"at most {bound}", error.Message, StringComparison.Ordinal);
        Assert.Empty(ManifestParser.Parse(template.Replace("%", new string('x', length - 1), StringComparison.Ordinal), ManifestFormat.Json).Errors);
    }
}
