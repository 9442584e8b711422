using System.Collections.Immutable;
using Sched.Contracts.Images;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Decisions.Images;

/// <summary>Which node holds which image, as the agents last reported. Soft state: agents report again to a new scheduler.</summary>
public sealed class ImageCatalog
{
    public static readonly ImageCatalog Empty = new(
        ImmutableSortedDictionary.Create<string, NodeImages>(StringComparer.Ordinal), ImmutableDictionary.Create<string, long>(StringComparer.Ordinal), 0);

    /// <summary>For each node and image id, when the node first reported it, as a running count of such firsts.</summary>
    private readonly ImmutableDictionary<string, long> _gained;
    private readonly long _reports;

    private ImageCatalog(ImmutableSortedDictionary<string, NodeImages> byNode, ImmutableDictionary<string, long> gained, long reports)
    {
        ByNode = byNode;
        _gained = gained;
        _reports = reports;
    }

    public ImmutableSortedDictionary<string, NodeImages> ByNode { get; }

    public ImageCatalog Reported(NodeImages report)
    {
        var gained = _gained.RemoveRange(_gained.Keys.Where(k => k.StartsWith(report.Node + "\n", StringComparison.Ordinal)
            && !report.Images.Any(i => k == Key(report.Node, i.Id))));
        var reports = _reports;
        foreach (var image in report.Images.Where(i => !gained.ContainsKey(Key(report.Node, i.Id))))
        {
            gained = gained.Add(Key(report.Node, image.Id), ++reports);
        }

        return new(ByNode.SetItem(report.Node, report), gained, reports);
    }

    /// <summary>The nodes whose images a fetch was checked against: up members that reported them, not nodes gone since.</summary>
    public ImmutableArray<string> NodesAsked(NodeRegistry nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return [.. ByNode.Keys.Where(node => nodes.Nodes.GetValueOrDefault(node) is { Membership: Membership.Up }).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The nodes that hold the image and can send it now (up and reachable, with a cluster address), those that got
    /// it most recently first, so copies spread as a tree: the node it was built on, busy with the first copies,
    /// comes last. Holders that got it at once are in the order <paramref name="shuffle"/> gives, so receivers that
    /// start together ask different ones first.
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

        return [.. shuffle(holders).OrderByDescending(h => _gained.GetValueOrDefault(Key(h.Node, h.Image.Id)))];
    }

    private static string Key(string node, string imageId) => $"{node}\n{imageId}";

    /// <summary>A member id is its address and its incarnation (<c>akka.tcp://sched@host:4053#123</c>); actors are reached by the address.</summary>
    private static string AddressOf(string memberId) =>
        memberId.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? memberId[..hash] : memberId;
}
