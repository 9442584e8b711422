using System.Runtime.Serialization;
using Sched.Contracts.Messages;
using Sched.Contracts.Serialization;
using Xunit.Abstractions;

namespace Sched.Contracts.Tests.Serialization;

public sealed class SchedMessageSerializerTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(SchedSerialization.Hocon, output)
{
    private static readonly MessageCatalog Catalog = MessageCatalog.Contracts;

    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var manifest in Catalog.TypesByManifest.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(manifest);
        }

        return data;
    }

    [Fact]
    public void The_catalog_holds_every_concrete_message_type_of_the_contracts_assembly()
    {
        var missing = typeof(ISchedMessage).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.IsAssignableTo(typeof(ISchedMessage)))
            .Where(type => !Catalog.ManifestsByType.ContainsKey(type))
            .Select(type => $"[JsonSerializable(typeof({type.Name}))]")
            .ToList();

        Assert.True(missing.Count == 0, $"Add to SchedMessageJsonContext: {string.Join(", ", missing)}");
        Assert.Contains(nameof(RunShard), Catalog.TypesByManifest.Keys);
    }

    [Fact]
    public void Every_message_type_has_json_metadata()
    {
        Assert.All(Catalog.TypesByManifest.Values, type => Assert.Same(type, Catalog.TypeInfo(type).Type));
    }

    [Fact]
    public void Every_message_type_has_a_sample()
    {
        var sampled = SchedMessageSamples.All.Select(message => message.GetType()).ToHashSet();
        var missing = Catalog.TypesByManifest.Values.Where(type => !sampled.Contains(type)).Select(type => type.Name);

        Assert.True(!missing.Any(), $"Add a sample to SchedMessageSamples.All for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_field_carries_a_non_default_value_in_some_sample()
    {
        var unset = SampleCoverage.UnsetFields(Catalog.TypesByManifest.Values, SchedMessageSamples.All);

        Assert.True(unset.Count == 0, $"Give these a non-default value in SchedMessageSamples: {string.Join(", ", unset)}");
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void A_message_round_trips_through_the_sched_serializer(string manifest)
    {
        var type = Catalog.TypesByManifest[manifest];
        var sample = SchedMessageSamples.All.FirstOrDefault(message => message.GetType() == type);
        Assert.True(sample is not null, $"No sample of {manifest} in SchedMessageSamples.All.");

        var serializer = Assert.IsType<SchedMessageSerializer>(Sys.Serialization.FindSerializerFor(sample));
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, sample));

        var bytes = serializer.ToBinary(sample);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(type, back);
        var differences = StructuralDiff.Between(sample, back);
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public void The_wire_form_is_camel_case_json_with_enum_names()
    {
        var json = System.Text.Encoding.UTF8.GetString(Serializer().ToBinary(
            new ShardStartFailed(new ShardAttemptId("j-1", 2, 1), "node2", "no such image")));

        Assert.Equal(
            """{"id":{"jobId":"j-1","shard":2,"attempt":1},"node":"node2","reason":"no such image","permanent":false}""",
            json);
        Assert.Contains("\"status\":\"Running\"", System.Text.Encoding.UTF8.GetString(
            Serializer().ToBinary(new JobReply(SchedMessageSamples.Job("j-1", 2)))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_free_message_is_an_empty_object()
    {
        Assert.Equal("{}"u8.ToArray(), Serializer().ToBinary(GetJobs.Instance));
        Assert.Equal(GetJobs.Instance, Serializer().FromBinary("{}"u8.ToArray(), nameof(GetJobs)));
    }

    [Fact]
    public void A_message_can_also_be_read_back_by_its_type()
    {
        var message = new StopJob("j-1");
        var bytes = Serializer().ToBinary(message);

        Assert.Equal(message, Sys.Serialization.Deserialize(bytes, SchedMessageSerializer.SerializerId, typeof(StopJob)));
    }

    [Fact]
    public void An_unknown_manifest_is_refused_naming_it()
    {
        var error = Assert.Throws<SerializationException>(() => Serializer().FromBinary("{}"u8.ToArray(), "LaunchRockets"));

        Assert.Contains("'LaunchRockets'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_bytes_are_refused_naming_the_manifest()
    {
        var error = Assert.Throws<SerializationException>(() => Serializer().FromBinary("{\"id\":"u8.ToArray(), nameof(StopShard)));

        Assert.Contains("'StopShard'", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public void A_foreign_type_has_no_manifest()
    {
        Assert.Throws<SerializationException>(() => Serializer().Manifest("just a string"));
    }

    private SchedMessageSerializer Serializer() =>
        Assert.IsType<SchedMessageSerializer>(Sys.Serialization.FindSerializerForType(typeof(ISchedMessage)));
}
