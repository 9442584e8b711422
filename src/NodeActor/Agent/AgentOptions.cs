using System.Collections.Immutable;
using Sched.Contracts.Messages;
using Sched.NodeActor.Images;

namespace Sched.NodeActor.Agent;

/// <summary>
/// How one node agent presents itself: its name and cluster address, what it keeps for the system, its labels;
/// and what its shards may have of the host: the roots of the host paths they may mount, the address their
/// published ports bind to (null: every address).
/// </summary>
public sealed record AgentOptions(
    string NodeName,
    string? MemberAddress,
    NodeCapacity Reserved,
    ImmutableSortedDictionary<string, string> Labels,
    TimeSpan ReportInterval,
    ImmutableArray<string> AllowedHostPaths = default,
    System.Net.IPAddress? PublishAddress = null)
{
    public IReadOnlyCollection<string> HostPathRoots => AllowedHostPaths.IsDefault ? [] : AllowedHostPaths;

    public static readonly NodeCapacity DefaultReservation = new(500, 512L * 1024 * 1024);

    /// <summary>The node guard's lease this agent renews while it is a healthy member; none outside a cluster or in tests.</summary>
    public FenceLease? Lease { get; init; }

    /// <summary>How far ahead each renewal sets the lease: the guard stops the containers this long after the agent stops renewing.</summary>
    public TimeSpan LeaseHold { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Told of every attempt to stop the node's containers for a fence: true when it succeeded (a metric counts them).</summary>
    public Action<bool> FenceAttempted { get; init; } = _ => { };

    /// <summary>Where the logs of removed containers are kept (see <see cref="LogArchive"/>); none in tests that do not ask for it.</summary>
    public LogArchive? Archive { get; init; }

    /// <summary>The images this node copied or pulled, which may be pruned; none in tests that do not ask for it.</summary>
    public ImageCopies? Copies { get; init; }

    /// <summary>A copied image no container has used for this long is removed; null never prunes.</summary>
    public TimeSpan? PruneImagesAfter { get; init; }

    /// <summary>How often the copies are checked against the containers that use them.</summary>
    public TimeSpan PruneSweepEvery { get; init; } = TimeSpan.FromMinutes(10);

    public static AgentOptions For(string nodeName) => new(
        nodeName,
        null,
        DefaultReservation,
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
        TimeSpan.FromSeconds(5));
}
