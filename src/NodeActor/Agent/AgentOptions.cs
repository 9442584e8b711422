using System.Collections.Immutable;
using Sched.Contracts.Messages;

namespace Sched.NodeActor.Agent;

/// <summary>How one node agent presents itself: its name and cluster address, what it keeps for the system, its labels.</summary>
public sealed record AgentOptions(
    string NodeName,
    string? MemberAddress,
    NodeCapacity Reserved,
    ImmutableSortedDictionary<string, string> Labels,
    TimeSpan ReportInterval)
{
    public static readonly NodeCapacity DefaultReservation = new(500, 512L * 1024 * 1024);

    public static AgentOptions For(string nodeName) => new(
        nodeName,
        null,
        DefaultReservation,
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
        TimeSpan.FromSeconds(5));
}
