using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>
/// Compares specs by value. Record equality does not do it here: ImmutableArray and ImmutableSortedDictionary
/// compare by reference.
/// </summary>
internal static class JobSpecAssert
{
    public static void Equivalent(JobSpec expected, JobSpec actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Image, actual.Image);
        Assert.Equal<string>(expected.Command, actual.Command);
        Assert.Equal<KeyValuePair<string, string>>(expected.Env, actual.Env);
        Assert.Equal(expected.Shards, actual.Shards);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Resources, actual.Resources);
        Assert.Equal(expected.Restart, actual.Restart);
        Assert.Equal(expected.Placement.Strategy, actual.Placement.Strategy);
        Assert.Equal(expected.Placement.MaxShardsPerNode, actual.Placement.MaxShardsPerNode);
        Assert.Equal<PlacementConstraint>(expected.Placement.Constraints, actual.Placement.Constraints);
    }
}
