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
        };
        var spec = Assert.IsType<JobSpec>(ManifestParser.FromJson(manifest).Spec);
        var state = SchedulerState.Empty.Apply(new JobAccepted("j-at-the-bounds", spec, DateTimeOffset.UnixEpoch));

        var run = ShardLaunches.For(state.Job("j-at-the-bounds")!, new ShardAttemptId("j-at-the-bounds", 10_000, 1_000_000), "node-with-a-long-name-7");
        var bytes = Sys.Serialization.FindSerializerFor(run).ToBinary(run).Length;

        Assert.InRange(bytes, 80_000, AkkaDefaultFrameBytes - 1);
    }

    /// <summary>Each text is one byte over its bound once the entry's quotes, colon and comma are counted.</summary>
    [Theory]
    [InlineData("env", "{\"image\": \"x\", \"env\": {\"A\": \"%\"}}", 65_524, 65_536)]
    [InlineData("command", "{\"image\": \"x\", \"command\": [\"%\"]}", 16_379, 16_384)]
    [InlineData("image", "{\"image\": \"%\"}", 1_019, 1_024)]
    public void One_byte_over_a_bound_is_refused_naming_the_field_and_the_bound(string field, string template, int length, int bound)
    {
        var manifest = template.Replace("%", new string('x', length), StringComparison.Ordinal);

        var error = Assert.Single(ManifestParser.Parse(manifest, ManifestFormat.Json).Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains($"at most {bound}", error.Message, StringComparison.Ordinal);
        Assert.Empty(ManifestParser.Parse(template.Replace("%", new string('x', length - 1), StringComparison.Ordinal), ManifestFormat.Json).Errors);
    }
}
