using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Contracts.Serialization;
using Xunit.Abstractions;

namespace Sched.Contracts.Tests.Serialization;

public sealed class JobSpecSerializationTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(SchedSerialization.Hocon, output)
{
    [Fact]
    public void A_spec_with_every_field_set_survives()
    {
        var spec = SchedMessageSamples.FullSpec;

        var back = RoundTrip(new SubmitJob(spec)).Spec;

        Assert.Empty(StructuralDiff.Between(spec, back));
        Assert.Equal<string>(["/bin/process", "--verbose", "--batch", "large"], back.Command);
        Assert.Equal(TimeSpan.FromMilliseconds(62_500), back.Restart.Backoff);
        Assert.Equal(RestartMode.Always, back.Restart.Mode);
        Assert.Equal(2, back.Placement.MaxShardsPerNode);
        Assert.Equal<PlacementConstraint>(
            [new PlacementConstraint("node", ConstraintOperator.NotEqual, "node1"), new PlacementConstraint("arch", ConstraintOperator.Equal, "arm64")],
            back.Placement.Constraints);
        Assert.Equal(256L << 20, back.Resources.MemoryBytes);
        Assert.Equal(500, back.Resources.MilliCpus);
    }

    [Fact]
    public void Env_and_labels_come_back_in_ordinal_order()
    {
        var back = RoundTrip(new SubmitJob(SchedMessageSamples.FullSpec)).Spec;

        Assert.Same(StringComparer.Ordinal, back.Env.KeyComparer);
        Assert.Equal<string>(["INPUT", "OUTPUT", "Zeta", "alpha"], back.Env.Keys);
    }

    [Fact]
    public void A_spec_without_a_per_node_cap_or_optional_lists_survives()
    {
        var spec = ManifestParser.Parse("image: busybox", ManifestFormat.Yaml).Spec!;
        Assert.Null(spec.Placement.MaxShardsPerNode);

        var back = RoundTrip(new SubmitJob(spec)).Spec;

        Assert.Empty(StructuralDiff.Between(spec, back));
        Assert.Null(back.Placement.MaxShardsPerNode);
    }

    [Fact]
    public void A_default_immutable_array_travels_as_empty_instead_of_failing()
    {
        var spec = SchedMessageSamples.FullSpec with
        {
            Command = default,
            Placement = SchedMessageSamples.FullSpec.Placement with { Constraints = default },
        };

        var back = RoundTrip(new SubmitJob(spec)).Spec;

        Assert.False(back.Command.IsDefault);
        Assert.Empty(back.Command);
        Assert.Empty(back.Placement.Constraints);
    }

    private T RoundTrip<T>(T message)
        where T : ISchedMessage
    {
        var serializer = Assert.IsType<SchedMessageSerializer>(Sys.Serialization.FindSerializerFor(message));
        return Assert.IsType<T>(serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message)));
    }
}
