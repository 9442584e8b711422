using System.Collections.Immutable;
using Sched.Contracts.Images;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Decisions.Images;

/// <summary>Which node holds which image, as the agents last reported. Soft state: agents report again to a new scheduler.</summary>
public sealed class ImageCatalog
{
    public static readonly ImageCatalog Empty = new(ImmutableSortedDictionary.Create<string, NodeImages>(StringComparer.Ordinal));

    private ImageCatalog(ImmutableSortedDictionary<string, NodeImages> byNode) => ByNode = byNode;

    public ImmutableSortedDictionary<string, NodeImages> ByNode { get; }

    public ImageCatalog Reported(NodeImages report) => new(ByNode.SetItem(report.Node, report));

    /// <summary>The nodes whose images a fetch was checked against: up members that reported them, not nodes gone since.</summary>
    public ImmutableArray<string> NodesAsked(NodeRegistry nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return [.. ByNode.Keys.Where(node => nodes.Nodes.GetValueOrDefault(node) is { Membership: Membership.Up }).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The nodes that hold the image and can send it now (up and reachable, with a cluster address), in the order
    /// given by <paramref name="shuffle"/>: receivers that start together then ask different holders first.
    /// </summary>
    public ImmutableArray<ImageHolder> HoldersOf(string reference, NodeRegistry nodes, Func<IReadOnlyList<ImageHolder>, IEnumerable<ImageHolder>> shuffle)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(shuffle);
        var holders = new List<ImageHolder>();
        foreach (var (node, report) in ByNode)
        {
            if (nodes.Nodes.GetValueOrDefault(node) is not { Membership: Membership.Up, Report.MemberAddress: { } member }
                || report.Images.FirstOrDefault(i => ImageNames.Matches(reference, i.Id, i.Names)) is not { } image)
            {
                continue;
            }

            holders.Add(new ImageHolder(node, AddressOf(member), image));
        }

        return [.. shuffle(holders)];
    }

    /// <summary>A member id is its address and its incarnation (<c>akka.tcp://sched@host:4053#123</c>); actors are reached by the address.</summary>
    private static string AddressOf(string memberId) =>
        memberId.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? memberId[..hash] : memberId;
}
