using System.Collections.Immutable;

namespace Sched.Contracts.Messages;

/// <summary>An image in a node's store: its id (sha256:...), the names it is known by, its architecture and size.</summary>
public sealed record HeldImage(string Id, ImmutableArray<string> Names, string Architecture, long SizeBytes);

/// <summary>The images a node holds, sent by its agent when the list changes and on first contact with a scheduler.</summary>
public sealed record NodeImages(string Node, ImmutableArray<HeldImage> Images) : ISchedMessage;

/// <summary>
/// Scheduler to agent: list your images now and report them even if nothing changed. Sent when a node asks for an
/// image no node is known to hold: a node reports on its own only at its next probe, so an image built or loaded
/// since would not be found.
/// </summary>
public sealed record ListImages : ISchedMessage
{
    public static readonly ListImages Instance = new();
}

/// <summary>An agent that lacks an image asks the scheduler which nodes hold it.</summary>
public sealed record FindImage(string Image) : ISchedMessage;

/// <summary>A node that holds an image, and where its agent is.</summary>
public sealed record ImageHolder(string Node, string MemberAddress, HeldImage Image);

/// <summary>
/// The scheduler's answer to <see cref="FindImage"/>: every node that holds it and can send it now, in no
/// particular order, and every node whose images the scheduler knows (the nodes "asked").
/// </summary>
public sealed record ImageHolders(string Image, ImmutableArray<ImageHolder> Holders, ImmutableArray<string> NodesKnown) : ISchedMessage;

/// <summary>Asks the scheduler which node holds which image (<c>sched images</c>).</summary>
public sealed record GetImages : ISchedMessage
{
    public static readonly GetImages Instance = new();
}

public sealed record ImageListReply(ImmutableArray<NodeImages> Nodes) : ISchedMessage;

/// <summary>
/// The attempt never ran because no node of the cluster and no registry could supply its image, or none of this
/// node's architecture: running it again will not help, so the shard fails at once.
/// </summary>
public sealed record ShardImageUnavailable(ShardAttemptId Id, string Node, string Reason) : ISchedMessage;

/// <summary>
/// Shards placed on a node that wait for their image there, and how far it is (<c>fetching image from node1 (35/120 MB)</c>),
/// for <c>sched status</c> and <c>sched run</c>; Progress null when they no longer wait.
/// </summary>
public sealed record ShardsAwaitImage(string Node, ImmutableArray<ShardAttemptId> Shards, string? Progress) : ISchedMessage;
