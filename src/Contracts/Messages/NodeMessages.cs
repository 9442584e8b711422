using System.Collections.Immutable;
using Sched.Contracts.Jobs;

namespace Sched.Contracts.Messages;

/// <summary>What a node offers: its allocatable capacity (engine capacity minus the system reservation).</summary>
public sealed record NodeCapacity(int MilliCpus, long MemoryBytes);

/// <summary>
/// Sent by a node agent when it starts and periodically after, so a restarted scheduler learns it again.
/// MemberAddress is the agent's cluster member address (akka.tcp://sched@host:port), null outside a cluster.
/// </summary>
public sealed record RegisterNode(
    string Node,
    string? MemberAddress,
    NodeCapacity Total,
    NodeCapacity Allocatable,
    ImmutableSortedDictionary<string, string> Labels,
    bool Healthy,
    string? HealthReason) : ISchedMessage;

/// <summary>
/// The scheduler's answer to <see cref="RegisterNode"/>. WantsContainers is true on first contact (a new agent,
/// a rejoined node, a new scheduler): the agent then reports the managed containers it has with <see cref="NodeContainers"/>.
/// </summary>
public sealed record NodeRegistered(string Node, bool WantsContainers) : ISchedMessage;

/// <summary>
/// A scheduler that just took over asks every agent to register now rather than at its next periodic report, so
/// it knows every node before it places the shards of a lost one.
/// </summary>
public sealed record ReportNow(string Reason) : ISchedMessage;

/// <summary>
/// A managed container an agent found on its node, identified by its labels. NeverStarted: created but not yet
/// started (an agent stopped between the two), so it has no exit code to judge.
/// </summary>
public sealed record ContainerReport(ShardAttemptId Id, string ContainerId, bool Running, long? ExitCode, bool OomKilled, bool NeverStarted = false);

/// <summary>
/// Every managed container on a node, running or exited, for the scheduler to reconcile with what it assigned.
/// Supervised are the attempts the agent is running right now (some may not have a container yet): never lost.
/// </summary>
public sealed record NodeContainers(string Node, ImmutableArray<ContainerReport> Containers, ImmutableArray<ShardAttemptId> Supervised) : ISchedMessage;

/// <summary>The scheduler's reconciliation: the agent adopts the containers to keep and removes the running ones to remove.</summary>
public sealed record ReconcileVerdict(ImmutableArray<ContainerReport> Keep, ImmutableArray<ContainerReport> Remove) : ISchedMessage;

/// <summary>
/// Everything a node agent needs to start one shard attempt; the scheduler has already built env and labels, and
/// filled in the shard's values in the command, env and mount sources. Container holds the run options, if any.
/// </summary>
public sealed record RunShard(
    ShardAttemptId Id,
    string Image,
    ImmutableArray<string> Command,
    ImmutableSortedDictionary<string, string> Env,
    ImmutableSortedDictionary<string, string> Labels,
    long MemoryBytes,
    int MilliCpus,
    ContainerOptions? Container = null,
    TimeSpan? Timeout = null) : ISchedMessage;

/// <summary>
/// The agent's acknowledgement of a <see cref="RunShard"/>: it runs the attempt (or already did). A refusal is a
/// <see cref="ShardStartFailed"/> with the reason. The scheduler sends the RunShard again until one of them comes.
/// </summary>
public sealed record ShardAccepted(ShardAttemptId Id, string Node) : ISchedMessage;

/// <summary>Stop (and remove) the container of one attempt.</summary>
public sealed record StopShard(ShardAttemptId Id) : ISchedMessage;

/// <summary>Remove every managed container of a job on this node, running or not.</summary>
public sealed record RemoveJobContainers(string JobId) : ISchedMessage;

/// <summary>Ports maps each published container port ("80/tcp") to the host port it has on the node.</summary>
public sealed record ShardStarted(ShardAttemptId Id, string Node, string ContainerId, ImmutableSortedDictionary<string, int>? Ports = null) : ISchedMessage;

/// <summary>
/// The container of an attempt exited. OomKilled is already judged by the agent (flag or an exit 137 it did not
/// cause); TimedOut, when the agent stopped it because it ran past the job's timeout.
/// </summary>
public sealed record ShardExited(ShardAttemptId Id, string Node, long ExitCode, bool OomKilled, bool TimedOut = false) : ISchedMessage;

/// <summary>The agent stopped the attempt's container because its node was cut off from the cluster's majority.</summary>
public sealed record ShardFenced(ShardAttemptId Id, string Node, string Reason) : ISchedMessage;

/// <summary>
/// The attempt never ran: the image could not be had, create or start failed. Permanent when another attempt
/// would fail the same way on any node (the command is not in the image, or not executable).
/// </summary>
public sealed record ShardStartFailed(ShardAttemptId Id, string Node, string Reason, bool Permanent = false) : ISchedMessage;
