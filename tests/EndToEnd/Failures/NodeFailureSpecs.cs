using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Failures;

/// <summary>
/// The failure tests run one at a time and not beside other collections: each breaks a cluster and measures how fast
/// it heals, and other clusters on the same two cores would make the figures (and the failure detector) meaningless.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailuresCollection
{
    public const string Name = "failures";
}

/// <summary>
/// DESIGN §5 on a real three-node cluster (deploy/local-cluster.sh): failing and OOM-killed shards, a node's power
/// loss, an agent restart, a podman socket that goes away. What runs where is counted in the nodes' own podman
/// stores, and a sampler checks that no shard ever runs twice. Each test starts by bringing all three nodes up and
/// stops its jobs at the end.
/// </summary>
[Collection(FailuresCollection.Name)]
public sealed partial class NodeFailureSpecs(Cluster cluster, ITestOutputHelper output) : IClassFixture<Cluster>
{
    private void Print(string text) => output.WriteLine(text);

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 2);

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string JobIdOf(ProcessResult run) => SchedOutput.JobIdOf(run);
}
