using Xunit.Abstractions;

namespace Sched.EndToEnd.Security;

/// <summary>
/// The control of <see cref="ClusterTrafficCaptureSpecs"/>: the same capture on a cluster whose agents run
/// --insecure-cluster finds the job's name and environment value, so a capture that finds neither means something.
/// </summary>
[Collection(InsecureClusterCollection.Name)]
public sealed class InsecureClusterTrafficCaptureSpecs(InsecureCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Without_TLS_the_capture_shows_the_job_name_and_environment_value()
    {
        var seen = await CapturedJob.Run(cluster, () => Task.CompletedTask);

        output.WriteLine(seen.ToString());
        Assert.True(seen.NameVisible, seen.ToString());
        Assert.True(seen.ValueVisible, seen.ToString());
        Assert.Empty(seen.ClientHellos);
    }
}

/// <summary>The local cluster with every agent started --insecure-cluster (no TLS files are made).</summary>
public sealed class InsecureCluster : Cluster
{
    protected override IReadOnlyList<string> AgentFlags(string node) => ["--insecure-cluster"];
}

[CollectionDefinition(Name)]
public sealed class InsecureClusterCollection : ICollectionFixture<InsecureCluster>
{
    public const string Name = "insecure local cluster";
}
